#!/usr/bin/env bash
# NOT FOR PRODUCTION. Creates the dev overlay's Secrets with fresh random values (nothing secret is kept in
# the repository): floodgate-dev-datastores (the in-cluster PostgreSQL's and RabbitMQ's passwords) and
# floodgate-secrets (what every Floodgate process reads). Run once per namespace; it refuses to overwrite.
set -euo pipefail
ns="${1:-floodgate-dev}"
if kubectl -n "$ns" get secret floodgate-secrets >/dev/null 2>&1; then
  echo "floodgate-secrets already exists in $ns: delete it first to make new ones" >&2
  exit 1
fi
pg_password="$(openssl rand -hex 24)"
mq_password="$(openssl rand -hex 24)"
kubectl -n "$ns" create secret generic floodgate-dev-datastores \
  --from-literal=POSTGRES_PASSWORD="$pg_password" \
  --from-literal=RABBITMQ_PASSWORD="$mq_password"
kubectl -n "$ns" create secret generic floodgate-secrets \
  --from-literal=DATABASE_URL="postgres://floodgate:${pg_password}@postgres:5432/floodgate" \
  --from-literal=REDIS_URL="redis://redis:6379" \
  --from-literal=AMQP_URL="amqp://floodgate:${mq_password}@rabbitmq:5672" \
  --from-literal=FLOODGATE_SERVICE_KEY="$(openssl rand -hex 32)" \
  --from-literal=FLOODGATE_OPS_TOKEN="$(openssl rand -hex 32)" \
  --from-literal=FLOODGATE_KEY_ENCRYPTION_KEY="$(openssl rand -base64 32)" \
  --from-literal=FLOODGATE_ADMIN_EMAIL="admin@floodgate.test" \
  --from-literal=FLOODGATE_ADMIN_PASSWORD="$(openssl rand -hex 16)"
echo "created floodgate-dev-datastores and floodgate-secrets in $ns (kubectl -n $ns get secret floodgate-secrets -o jsonpath='{.data.FLOODGATE_ADMIN_PASSWORD}' | base64 -d)"

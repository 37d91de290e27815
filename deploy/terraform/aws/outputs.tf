# What floodgate-secrets needs (docs/scaling.md, "Secrets"). Passwords are not output: read the PostgreSQL one
# from Secrets Manager (postgres_password_secret) and the others from this state with `terraform output -json`
# access to the random_password resources, or better, have External Secrets write floodgate-secrets directly.

output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name <this>)"
  value       = aws_eks_cluster.main.name
}

output "postgres_primary_endpoint" {
  description = "host:port for DATABASE_URL (postgres://floodgate:<password>@<this>/floodgate?sslmode=require)"
  value       = aws_db_instance.primary.endpoint
}

output "postgres_replica_endpoint" {
  description = "host:port for DATABASE_REPLICA_URLS"
  value       = aws_db_instance.replica.endpoint
}

output "postgres_password_secret" {
  description = "Secrets Manager ARN holding the generated PostgreSQL password"
  value       = aws_db_instance.primary.master_user_secret[0].secret_arn
}

output "redis_endpoint" {
  description = "host for REDIS_URL (rediss://:<auth token>@<this>:6379)"
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "rabbitmq_endpoint" {
  description = "amqps:// endpoint for AMQP_URL (amqps://floodgate:<password>@host:5671)"
  value       = aws_mq_broker.main.instances[0].endpoints[0]
}

output "data_subnet_cidrs" {
  description = "where the datastores are: deploy/k8s/overlays/production/network-production.yaml allows 10.40.16.0/20"
  value       = aws_subnet.data[*].cidr_block
}

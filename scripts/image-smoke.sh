#!/usr/bin/env bash
# Builds deploy/Dockerfile on a machine that reaches only the npm registry and Debian's packages, then starts
# `floodgate serve customers` from the image against a local PostgreSQL + RabbitMQ + Redis. Not part of CI
# (it installs podman and debootstrap and takes minutes); run by hand as root: `bash scripts/image-smoke.sh`.
#
# What it proves, and what not:
#  - the base image cannot be pulled here, so a STAND-IN base is made: Debian bookworm (debootstrap minbase)
#    with this machine's Node and npm and a `node` user uid 1000, passed as NODE_IMAGE. The image's own stages
#    (npm ci, npm run build, npm ci --omit=dev, the runtime layout, USER) are the Dockerfile's, unchanged.
#  - podman's OCI runtimes (crun, runc) cannot start containers in this sandbox (setrlimit is refused), so the
#    build uses --isolation chroot and the service runs from the image's mounted filesystem the way
#    `docker run --read-only --tmpfs /tmp --tmpfs /var/lib/floodgate --user 1000:1000 --network host` would:
#    read-only root, uid 1000, Node as PID 1 of its own PID namespace (so its SIGTERM handling is what stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d /tmp/floodgate-image-smoke.XXXXXX)"
base=localhost/floodgate-standin-node:20-bookworm
image=localhost/floodgate:smoke
port="${PORT_UNDER_TEST:-18121}"
db="floodgate_image_smoke_$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  podman image unmount "$image" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v podman >/dev/null && command -v debootstrap >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman debootstrap >/dev/null
}

if ! podman image exists "$base"; then
  echo "==> stand-in base image (debootstrap bookworm + this machine's Node $(node -v))"
  debootstrap --variant=minbase bookworm "$work/root" http://deb.debian.org/debian >"$work/debootstrap.log"
  install -D /usr/bin/node "$work/root/usr/bin/node"
  mkdir -p "$work/root/usr/lib/node_modules" && cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$work/root/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/bin/npm"
  # the registry's certificate chain as this machine trusts it
  install -D /etc/ssl/certs/ca-certificates.crt "$work/root/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$work/root/usr/etc" && echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$work/root/usr/etc/npmrc"
  chroot "$work/root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node'
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" -c --numeric-owner . | podman import --change 'CMD ["node"]' - "$base" >/dev/null 2>&1
fi

echo "==> podman build -f deploy/Dockerfile (NODE_IMAGE=$base)"
start=$SECONDS
podman build --isolation chroot --network host -f deploy/Dockerfile --build-arg NODE_IMAGE="$base" -t "$image" . >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
echo "built $image in $((SECONDS - start)) s; $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}') with the base; user $(podman image inspect "$image" --format '{{.Config.User}}')"

echo "==> floodgate serve customers from the image (read-only root, uid 1000, PID 1)"
psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null
root="$(podman image mount "$image")"
mkdir -p "$work/mnt"
env_file="$work/env"
cat >"$env_file" <<ENV
PATH=/usr/local/bin:/usr/bin:/bin
NODE_ENV=production
HOST=127.0.0.1
PORT=$port
LOG_FORMAT=json
FLOODGATE_DATA_DIR=/var/lib/floodgate
FLOODGATE_WORKERS=none
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
AMQP_URL=amqp://guest:guest@127.0.0.1:5672
AMQP_EXCHANGE=floodgate.smoke$$
REDIS_URL=redis://127.0.0.1:6379
REDIS_KEY_PREFIX=floodgate:smoke$$
FLOODGATE_SERVICE_KEY=$(openssl rand -hex 32)
FLOODGATE_OPS_TOKEN=$(openssl rand -hex 32)
FLOODGATE_KEY_ENCRYPTION_KEY=$(openssl rand -base64 32)
ENV
unshare --mount --pid --fork sh -c '
  set -e
  mount --bind "$1" "$2" && mount -o remount,bind,ro "$2"
  for d in tmp var/lib/floodgate; do mount -t tmpfs -o size=64m,uid=1000,gid=1000,mode=0700 tmpfs "$2/$d"; done
  mount -t proc proc "$2/proc" && mount --rbind /dev "$2/dev"
  if touch "$2/app/.write-probe" 2>/dev/null; then echo "the root filesystem is writable" >&2; exit 1; fi
  exec chroot --userspec=1000:1000 "$2" env -i $(cat "$3") sh -c "cd /app && exec node bin/floodgate.js serve customers"
' smoke "$root" "$work/mnt" "$env_file" >"$work/service.log" 2>&1 &
pids+=($!)
start=$(date +%s%N)
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/service.log"; exit 1; }
  sleep 0.1
done
echo "/readyz 200 after $(( ($(date +%s%N) - start) / 1000000 )) ms"
status=$(curl -s -o "$work/guest.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/auth/guest" -H 'content-type: application/json' -d '{}')
[ "$status" = 201 ] || { echo "POST /v1/auth/guest answered $status"; cat "$work/service.log"; exit 1; }
echo "POST /v1/auth/guest 201 (a guest stored in PostgreSQL)"
node_pid=$(pgrep -P "${pids[0]}" -x node || pgrep -f "^node bin/floodgate.js serve customers" | head -1)
echo "node is PID $(awk '/^NSpid/ {print $NF}' "/proc/$node_pid/status") in its namespace"
start=$(date +%s%N)
kill -TERM "$node_pid"
while kill -0 "$node_pid" 2>/dev/null; do sleep 0.05; done
echo "SIGTERM: exited after $(( ($(date +%s%N) - start) / 1000000 )) ms ($(grep -c 'connections drained' "$work/service.log") drain logged)"

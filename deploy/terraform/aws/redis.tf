# Redis: one primary and one replica in another zone with automatic failover (cache, sale counters, rate limits;
# nothing that PostgreSQL cannot rebuild). Cluster mode stays off until the client speaks Redis Cluster
# (docs/scaling.md, "Redis"). TLS and AUTH are on; the token is generated here and kept out of the outputs.

resource "aws_elasticache_subnet_group" "main" {
  name       = "${local.name}-redis"
  subnet_ids = aws_subnet.data[*].id
}

resource "random_password" "redis" {
  length  = 48
  special = false
}

resource "aws_elasticache_replication_group" "main" {
  replication_group_id = "${local.name}-redis"
  description          = "Floodgate cache, sale counters and rate limits"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.redis_node_type
  port                 = 6379

  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true

  subnet_group_name  = aws_elasticache_subnet_group.main.name
  security_group_ids = [aws_security_group.data.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result

  # the sale counters must never be evicted: a full Redis refuses writes instead (Floodgate answers 503)
  parameter_group_name = aws_elasticache_parameter_group.main.name

  snapshot_retention_limit = 1
}

resource "aws_elasticache_parameter_group" "main" {
  name   = "${local.name}-redis7"
  family = "redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }
}

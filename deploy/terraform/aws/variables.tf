variable "region" {
  description = "AWS region of the primary site (docs/scaling.md: the standby region is a copy of this stack)"
  type        = string
  default     = "eu-central-1"
}

variable "environment" {
  description = "Name of this stack, used in resource names and tags"
  type        = string
  default     = "production"
}

variable "vpc_cidr" {
  description = "The VPC's address range; the data subnets (PostgreSQL, Redis, RabbitMQ) take 10.40.16.0/20 of it, which deploy/k8s/overlays/production/network-production.yaml allows"
  type        = string
  default     = "10.40.0.0/16"
}

variable "kubernetes_version" {
  description = "EKS control plane version"
  type        = string
  default     = "1.31"
}

variable "node_instance_type" {
  description = "Worker node size: the API pods request 250m-500m CPU and 192-256 MiB each (docs/scaling.md)"
  type        = string
  default     = "m7i.xlarge"
}

variable "node_count" {
  description = "Minimum, desired and maximum worker nodes (one node group per zone keeps the zone spread schedulable)"
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 1, desired = 2, max = 10 }
}

variable "postgres_instance_class" {
  description = "RDS instance class of the primary and the read replica"
  type        = string
  default     = "db.r7g.large"
}

variable "redis_node_type" {
  description = "ElastiCache node type (one primary and one replica)"
  type        = string
  default     = "cache.r7g.large"
}

variable "rabbitmq_instance_type" {
  description = "Amazon MQ broker instance type (a three-node cluster)"
  type        = string
  default     = "mq.m5.large"
}

# EXAMPLE ONLY — not applied by this project, not a supported module. It shows the managed dependencies that
# deploy/k8s/overlays/production expects on one cloud (AWS): a Kubernetes cluster (EKS), PostgreSQL with a
# standby and a read replica (RDS), Redis with a replica (ElastiCache) and RabbitMQ (Amazon MQ), in one VPC.
# Review sizes, regions, backups and access before using any of it. docs/scaling.md explains the layout.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "floodgate"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

# RabbitMQ: an Amazon MQ cluster of three nodes over three zones (quorum queues need a majority), AMQPS only.

resource "random_password" "rabbitmq" {
  length  = 40
  special = false
}

resource "aws_mq_broker" "main" {
  broker_name        = "${local.name}-rabbitmq"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = var.rabbitmq_instance_type
  deployment_mode    = "CLUSTER_MULTI_AZ"

  subnet_ids          = aws_subnet.data[*].id
  security_groups     = [aws_security_group.data.id]
  publicly_accessible = false

  auto_minor_version_upgrade = true

  user {
    username = "floodgate"
    password = random_password.rabbitmq.result
  }

  logs {
    general = true
  }
}

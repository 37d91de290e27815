# One VPC over three zones: public subnets for the load balancer and NAT, private subnets for the nodes,
# and data subnets inside 10.40.16.0/20 for the managed datastores (the only range the pods' egress policy opens).

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name  = "floodgate-${var.environment}"
  zones = slice(data.aws_availability_zones.available.names, 0, 3)
  # 10.40.0.0/22 … public, 10.40.16.0/22 … data (inside 10.40.16.0/20), 10.40.32.0/20 … nodes
  public_subnets = [for i, zone in local.zones : cidrsubnet(var.vpc_cidr, 6, i)]
  data_subnets   = [for i, zone in local.zones : cidrsubnet(var.vpc_cidr, 6, 4 + i)]
  node_subnets   = [for i, zone in local.zones : cidrsubnet(var.vpc_cidr, 4, 2 + i)]
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = local.name }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                   = length(local.zones)
  vpc_id                  = aws_vpc.main.id
  availability_zone       = local.zones[count.index]
  cidr_block              = local.public_subnets[count.index]
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-public-${local.zones[count.index]}", "kubernetes.io/role/elb" = "1" }
}

resource "aws_subnet" "nodes" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.main.id
  availability_zone = local.zones[count.index]
  cidr_block        = local.node_subnets[count.index]

  tags = { Name = "${local.name}-nodes-${local.zones[count.index]}", "kubernetes.io/role/internal-elb" = "1" }
}

resource "aws_subnet" "data" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.main.id
  availability_zone = local.zones[count.index]
  cidr_block        = local.data_subnets[count.index]

  tags = { Name = "${local.name}-data-${local.zones[count.index]}" }
}

resource "aws_eip" "nat" {
  count  = length(local.zones)
  domain = "vpc"
}

# one NAT per zone: a zone outage must not cut the others' way to the payment provider
resource "aws_nat_gateway" "main" {
  count         = length(local.zones)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count          = length(local.zones)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "nodes" {
  count  = length(local.zones)
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }
}

resource "aws_route_table_association" "nodes" {
  count          = length(local.zones)
  subnet_id      = aws_subnet.nodes[count.index].id
  route_table_id = aws_route_table.nodes[count.index].id
}

# the datastores take connections from the cluster's nodes (and so its pods) only
resource "aws_security_group" "data" {
  name        = "${local.name}-data"
  description = "PostgreSQL, Redis and RabbitMQ, reachable from the EKS nodes only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "data_from_nodes" {
  for_each = {
    postgres = 5432
    redis    = 6379
    amqps    = 5671
  }
  security_group_id            = aws_security_group.data.id
  referenced_security_group_id = aws_eks_cluster.main.vpc_config[0].cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  description                  = "${each.key} from the EKS nodes"
}

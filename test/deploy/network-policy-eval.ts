import type { K8sObject } from './kustomize-render.js';

/**
 * Whether Kubernetes NetworkPolicies let one endpoint reach another on a TCP port, by the API's rules: a pod
 * that no policy of a direction selects is open in that direction; once one does, only what some selecting
 * policy's rule allows gets through. Enough for the peers deploy/k8s uses: podSelector, namespaceSelector on
 * kubernetes.io/metadata.name, ipBlock with except.
 */
/** a pod (its labels and namespace; policies of other namespaces do not govern it) or an address outside the cluster */
export type Endpoint = { namespace: string; labels: Record<string, string> } | { ip: string };
type Pod = { namespace: string; labels: Record<string, string> };

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Array<{ protocol?: string; port?: number | string; endPort?: number }>;
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: Array<'Ingress' | 'Egress'>;
  ingress?: Rule[];
  egress?: Rule[];
}

export function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && e.values?.includes(value!))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(value!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const ipToNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base) / size) * size;
  return ipToNumber(ip) >= start && ipToNumber(ip) < start + size;
}

function peerMatches(peer: Peer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) return 'ip' in other && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  if ('ip' in other) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace }) : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

const portMatches = (rule: Rule, port: number) => !rule.ports?.length || rule.ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || (p.endPort ? Number(p.port) <= port && port <= p.endPort : Number(p.port) === port)));

function typesOf(spec: PolicySpec): Array<'Ingress' | 'Egress'> {
  return spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** does `direction` traffic at `subject` (a pod in `namespace`) to/from `other` on `port` pass the policies? */
function allowedAt(policies: K8sObject[], subject: Pod, other: Endpoint, port: number, direction: 'Ingress' | 'Egress'): boolean {
  const selecting = policies.filter((p) => (p.metadata.namespace ?? '') === subject.namespace && selects((p.spec as PolicySpec).podSelector, subject.labels) && typesOf(p.spec as PolicySpec).includes(direction));
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const spec = p.spec as PolicySpec;
    const rules = (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    return rules.some((r) => {
      const peers = direction === 'Ingress' ? r.from : r.to;
      return portMatches(r, port) && (!peers?.length || peers.some((peer) => peerMatches(peer, other, p.metadata.namespace ?? '')));
    });
  });
}

/** from → to on a TCP port: the egress side of a pod source and the ingress side of a pod destination */
export function reachable(policies: K8sObject[], from: Endpoint, to: Endpoint, port: number): boolean {
  const networkPolicies = policies.filter((p) => p.kind === 'NetworkPolicy');
  if (!('ip' in from) && !allowedAt(networkPolicies, from, to, port, 'Egress')) return false;
  if (!('ip' in to) && !allowedAt(networkPolicies, to, from, port, 'Ingress')) return false;
  return true;
}

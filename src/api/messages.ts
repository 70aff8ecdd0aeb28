/** TypeScript shapes of the proto messages as @grpc/proto-loader presents them (camelCase, longs as numbers). */

export interface DiagnosticMsg {
  code: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
}

export interface RuleMsg {
  name: string;
  source: string;
  version: number;
  updatedAtMs: number;
  labels: Record<string, string>;
  severity: string;
}

export interface AppliedRuleMsg {
  name: string;
  version: number;
  change: string;
}

export interface DataPointMsg {
  name: string;
  tags: Record<string, string>;
  value: number;
  tsMs: number;
}

export interface EventMsg {
  type: string;
  tags: Record<string, string>;
  fields: Record<string, string>;
  tsMs: number;
}

export interface IngestRequestMsg {
  batchId: number;
  points: DataPointMsg[];
  producerId: string;
  events: EventMsg[];
}

export interface IngestResponseMsg {
  batchId: number;
  accepted: number;
  rejected: Array<{ item: string; index: number; field: string; reason: string }>;
  late: number;
  lastSequence: number;
  duplicate: boolean;
}

export interface StreamAlertsRequestMsg {
  afterSequence: number;
  tail: boolean;
  rules: string[];
  labels: Record<string, string>;
  severities: string[];
  clusters: string[];
}

export interface ListRulesRequestMsg {
  namePrefix: string;
  labels: Record<string, string>;
  pageSize: number;
  pageToken: string;
}

export interface ListRulesResponseMsg {
  rules: RuleMsg[];
  nextPageToken: string;
}

export interface UpdateRuleRequestMsg {
  source: string;
  name: string;
  expectedVersion: number;
}

export interface ApplyRulesRequestMsg {
  source: string;
  expectedVersions: Record<string, number>;
}

export interface AlertEventMsg {
  sequence: number;
  id: string;
  rule: string;
  alert: string;
  labels: Record<string, string>;
  fromState: string;
  toState: string;
  tsMs: number;
  value: number;
  severity: string;
  annotations: Record<string, string>;
  noData: boolean;
}

/** Loads the .proto contract once and exposes the service definitions. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The repository (or installed package) root: the first folder above this file holding proto/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'proto', 'vigil'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the proto/ folder of Vigil');
    dir = up;
  }
  return dir;
}

export const protoDir = join(packageRoot(), 'proto');

export const protoFiles = ['vigil/v1/rules.proto', 'vigil/v1/alerts.proto', 'vigil/v1/ingest.proto', 'vigil/v1/admin.proto', 'vigil/v1/correlation.proto'];

export const loaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

export const packageDefinition = protoLoader.loadSync(protoFiles, loaderOptions);

interface VigilPackage {
  vigil: {
    v1: {
      RuleService: grpc.ServiceClientConstructor;
      AlertService: grpc.ServiceClientConstructor;
      IngestService: grpc.ServiceClientConstructor;
      AdminService: grpc.ServiceClientConstructor;
      ClusterService: grpc.ServiceClientConstructor;
      SilenceService: grpc.ServiceClientConstructor;
      IncidentService: grpc.ServiceClientConstructor;
    };
  };
}

export const vigilV1 = (grpc.loadPackageDefinition(packageDefinition) as unknown as VigilPackage).vigil.v1;

#!/usr/bin/env node
/** The `vigil` command: the server and the admin client, one binary. */
import { Command } from 'commander';
import { registerActors } from './actors-commands.js';
import { registerAlerts } from './alerts-commands.js';
import { registerClusters } from './clusters-commands.js';
import { registerCompletion } from './completion.js';
import { registerDeliveries } from './deliveries-commands.js';
import { registerDemo } from './demo.js';
import { registerIncidents } from './incidents-commands.js';
import { registerReplay } from './replay-command.js';
import { registerRules } from './rules-commands.js';
import { registerServe } from './serve-command.js';
import { registerSilences } from './silences-commands.js';
import { registerToken } from './token-commands.js';

// grpc-js passes an IP address as the TLS server name, which Node flags as deprecated (DEP0123) on every
// TLS connection to an IP; operators can do nothing about it, so the CLI does not print deprecations.
process.noDeprecation = true;

const program = new Command('vigil')
  .description('Vigil: streaming alerting engine')
  .option('-s, --server <host:port>', 'server address (default $VIGIL_SERVER or 127.0.0.1:50051)')
  .option('--json', 'machine-readable output')
  .option('--token <token>', 'API token, sent as "authorization: Bearer" (default $VIGIL_TOKEN)')
  .option('--tls', 'connect with TLS, trusting the system CAs (default $VIGIL_TLS)')
  .option('--tls-ca <file>', 'PEM CA that signed the server certificate; implies --tls (default $VIGIL_TLS_CA)')
  .option('--tls-cert <file>', 'PEM client certificate, for servers that require one (default $VIGIL_TLS_CERT)')
  .option('--tls-key <file>', 'PEM key of the client certificate (default $VIGIL_TLS_KEY)')
  .option('--tls-server-name <name>', 'verify the server certificate for this name (default $VIGIL_TLS_SERVER_NAME)')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  vigil serve                          run embedded on 127.0.0.1:50051, data in ./data
  vigil rules apply config/rules/examples.vigil
  vigil rules ls --json
  vigil alerts watch --after 42        resume the alert stream after sequence 42
  vigil actors ls --state firing
  vigil actors inspect 'alert/high_cpu/cluster=c1,node=n2'
  vigil clusters upgrade start c1 --for 45m   hold c1's alerts back while it upgrades
  vigil silences add cluster=c1 alertname=disk_full --for 1h --comment "disk swap"
  vigil incidents ack kernel-oops      no more reminders for that incident
  vigil deliveries ls --archived       notifications given up, with the reason
  vigil deadletter ls --source kafka:  inputs that could not be used
  vigil demo                           server + simulator, prints alerts as they fire
  vigil replay --rules r.vigil --data points.ndjson --until +5m   back-test rules offline
  vigil --server vigil.example:50051 --tls-ca ca.pem --token "$T" rules ls
  vigil token new --name ci --role write   a token and the config entry that accepts it
  source <(vigil completion bash)      shell completion (bash or zsh)`,
  );

registerServe(program);
registerRules(program);
registerAlerts(program);
registerActors(program);
registerDeliveries(program);
registerClusters(program);
registerSilences(program);
registerIncidents(program);
registerDemo(program);
registerReplay(program);
registerToken(program);
registerCompletion(program);

await program.parseAsync(process.argv);

#!/usr/bin/env node
/** The `vigil` command: the server and the admin client, one binary. */
import { Command } from 'commander';
import { registerActors } from './actors-commands.js';
import { registerAlerts } from './alerts-commands.js';
import { registerDeliveries } from './deliveries-commands.js';
import { registerDemo } from './demo.js';
import { registerRules } from './rules-commands.js';
import { registerServe } from './serve-command.js';

const program = new Command('vigil')
  .description('Vigil: streaming alerting engine')
  .option('-s, --server <host:port>', 'server address (default $VIGIL_SERVER or 127.0.0.1:50051)')
  .option('--json', 'machine-readable output')
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
  vigil deliveries ls --archived       notifications given up, with the reason
  vigil deadletter ls --source kafka:  inputs that could not be used
  vigil demo                           server + simulator, prints alerts as they fire`,
  );

registerServe(program);
registerRules(program);
registerAlerts(program);
registerActors(program);
registerDeliveries(program);
registerDemo(program);

await program.parseAsync(process.argv);

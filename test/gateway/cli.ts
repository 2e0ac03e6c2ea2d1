/**
 * Runs the test gateway on its own, to point a real VS Code at it:
 *
 *   npx tsc -p . && node out/test/gateway/cli.js [--port 8787] [--scenario reasoning] [--context-window 32768]
 *
 * Prints the base URL and the scenarios, logs each request, and stops on Ctrl+C.
 */
import { CONTEXT_LENGTH } from './content';
import { SCENARIOS, findScenario, startGateway } from './server';

interface CliArgs { port: number; scenario: string; contextWindow: number }

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { port: 8787, scenario: 'reasoning', contextWindow: CONTEXT_LENGTH };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log('Usage: node out/test/gateway/cli.js [--port N] [--scenario NAME] [--context-window TOKENS]');
      process.exit(0);
    } else if (flag === '--port' && value !== undefined) {
      args.port = Number(value);
      i++;
    } else if (flag === '--scenario' && value !== undefined) {
      args.scenario = value;
      i++;
    } else if (flag === '--context-window' && value !== undefined) {
      args.contextWindow = Number(value);
      i++;
    } else {
      throw new Error(`Unknown argument: ${flag}`);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error(`Bad port: ${args.port}`);
  if (!Number.isInteger(args.contextWindow) || args.contextWindow < 1) throw new Error(`Bad context window: ${args.contextWindow}`);
  if (!findScenario(args.scenario)) throw new Error(`Unknown scenario: ${args.scenario} (one of ${SCENARIOS.join(', ')})`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const gateway = await startGateway({
    port: args.port,
    scenario: args.scenario,
    contextWindow: args.contextWindow,
    onRequest: (r) => console.log(`${new Date(r.receivedAt).toISOString()} ${r.method} ${r.path} [${r.scenario}]` +
      `${r.body?.stream === true ? ' stream' : ''}${r.promptTokens !== undefined ? ` prompt=${r.promptTokens} max_tokens=${r.body?.max_tokens ?? '-'}` : ''}`),
  });

  console.log(`Hunyuan test gateway listening on ${gateway.url}`);
  console.log(`Base URL (scenario "${args.scenario}"): ${gateway.baseUrl()}`);
  console.log(`Per-scenario base URL: ${gateway.url}/s/<scenario>/v1`);
  console.log(`Context window: ${args.contextWindow} tokens (prompt + max_tokens, as the gateway counts them)`);
  console.log(`Scenarios: ${SCENARIOS.join(', ')}`);
  console.log(`Hint: set "hunyuan.baseUrl" to ${gateway.baseUrl()} in VS Code settings (any API key works except "bad-key").`);

  const stop = (): void => {
    console.log('Stopping the test gateway.');
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

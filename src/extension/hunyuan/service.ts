/**
 * The answer engine (src/core/engine/engine.ts) with VS Code behind it: the settings from the
 * user's configuration, the key from SecretStorage, the log in the output channel, the plain-http
 * warning as a notification. Features (chat, commands) talk to the model only through this.
 *
 * Every error leaves through the engine's `forUser`: the gateway's words scrubbed of the key by the
 * same redactor the log uses (a careless gateway may echo the key in an error body, and these
 * messages are shown, sent to the webview and saved in the chat history).
 */
import { AnswerEngine, type EngineEvent, type TurnRequest } from '../../core/engine/engine';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import type { Logger } from '../log/logger';
import { readSettings } from '../settings/configuration';
import { warnPlainHttp } from './notify';

export class HunyuanService extends AnswerEngine {
  constructor(keys: ApiKeyStore, log: Logger) {
    super({
      settings: () => readSettings(),
      apiKey: () => keys.get(),
      redact: (text) => keys.redact(text),
      log,
      warnPlainHttp,
    });
  }

  /** The request's events as they come (see `AnswerEngine.events`). */
  chat(request: TurnRequest): AsyncGenerator<EngineEvent, void, undefined> {
    return this.events(request);
  }
}

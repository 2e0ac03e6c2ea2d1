/** What the views share: the channel to the extension, the strings, the current settings. */
import type { ChatSettingsView } from '../common/chat/protocol.js';
import type { ChatStringKey } from '../common/chat/strings.js';
import type { Messenger } from '../common/ipc/messages.js';

export type Translate = (key: ChatStringKey, ...args: readonly (string | number)[]) => string;

export interface ViewContext {
  readonly messenger: Messenger;
  /** The localized string for `key`, placeholders filled. */
  t: Translate;
  settings: ChatSettingsView;
  /** The id of the assistant turn being streamed, if any. */
  streamingId: string | undefined;
  /** Puts the focus in the message input. */
  focusInput(): void;
}

// The chat webview bundle (browser). Filled in by the chat view feature.
export {};

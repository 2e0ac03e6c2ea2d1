/** Command ids, as contributed in package.json (a host test checks that each one is registered). */
export const COMMANDS = {
  setApiKey: 'hunyuan.setApiKey',
  clearApiKey: 'hunyuan.clearApiKey',
  checkConnection: 'hunyuan.checkConnection',
  showLog: 'hunyuan.showLog',
  openSettings: 'hunyuan.openSettings',
  openChat: 'hunyuan.openChat',
  newChat: 'hunyuan.newChat',
  openChatInEditor: 'hunyuan.openChatInEditor',
  askAboutSelection: 'hunyuan.askAboutSelection',
  explainSelection: 'hunyuan.explainSelection',
  attachActiveFile: 'hunyuan.attachActiveFile',
} as const;

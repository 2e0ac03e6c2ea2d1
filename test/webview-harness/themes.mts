// Representative VS Code theme variables (Dark Modern, Light Modern, High Contrast) for the
// harness page, and the body classes VS Code sets for each.
export type ThemeName = 'dark' | 'light' | 'hc';

const common: Record<string, string> = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", "Noto Sans CJK SC", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  'editor-font-size': '13px',
};

const dark: Record<string, string> = {
  foreground: '#cccccc', descriptionForeground: '#9d9d9d', disabledForeground: 'rgba(204, 204, 204, 0.5)', errorForeground: '#f85149',
  focusBorder: '#0078d4', 'icon-foreground': '#cccccc', 'sideBar-background': '#181818', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc',
  'panel-border': '#2b2b2b', 'widget-border': '#313131', 'widget-shadow': 'rgba(0, 0, 0, 0.36)', 'sideBarSectionHeader-border': '#2b2b2b',
  'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
  'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': 'rgba(255, 255, 255, 0.07)',
  'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
  'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
  'textCodeBlock-background': '#2b2b2b', 'textPreformat-foreground': '#d0d0d0', 'textPreformat-background': '#3c3c3c',
  'textBlockQuote-background': '#2b2b2b', 'textBlockQuote-border': '#616161', 'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  'menu-background': '#1f1f1f', 'menu-foreground': '#cccccc', 'menu-selectionBackground': '#0078d4', 'menu-selectionForeground': '#ffffff',
  'menu-border': '#454545', 'menu-separatorBackground': '#454545', 'editorWidget-background': '#202020', 'editorWidget-border': '#454545',
  'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#352a05',
  'inputValidation-warningBorder': '#b89500', 'editorWarning-foreground': '#cca700', 'scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
  'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)', 'scrollbarSlider-activeBackground': 'rgba(191, 191, 191, 0.4)',
  'debugTokenExpression-name': '#c586c0', 'debugTokenExpression-value': 'rgba(204, 204, 204, 0.6)', 'debugTokenExpression-string': '#ce9178',
  'debugTokenExpression-boolean': '#4e94ce', 'debugTokenExpression-number': '#b5cea8', 'debugTokenExpression-error': '#f48771',
  'symbolIcon-functionForeground': '#b180d7', 'symbolIcon-classForeground': '#ee9d28', 'symbolIcon-variableForeground': '#75beff',
  'symbolIcon-constantForeground': '#cccccc', 'symbolIcon-keywordForeground': '#cccccc', 'gitDecoration-addedResourceForeground': '#81b88b',
  'gitDecoration-deletedResourceForeground': '#c74e39', 'diffEditor-insertedTextBackground': 'rgba(156, 204, 44, 0.2)',
  'diffEditor-removedTextBackground': 'rgba(255, 0, 0, 0.2)', 'chat-requestBackground': 'rgba(31, 31, 31, 0.62)',
  'progressBar-background': '#0078d4', 'testing-iconPassed': '#73c991', 'list-activeSelectionBackground': '#04395e',
};

const light: Record<string, string> = {
  foreground: '#3b3b3b', descriptionForeground: '#717171', disabledForeground: 'rgba(97, 97, 97, 0.5)', errorForeground: '#f85149',
  focusBorder: '#005fb8', 'icon-foreground': '#3b3b3b', 'sideBar-background': '#f8f8f8', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b',
  'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'widget-shadow': 'rgba(0, 0, 0, 0.16)', 'sideBarSectionHeader-border': '#e5e5e5',
  'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
  'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': 'rgba(0, 0, 0, 0.1)',
  'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
  'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
  'textCodeBlock-background': 'rgba(220, 220, 220, 0.4)', 'textPreformat-foreground': '#3b3b3b', 'textPreformat-background': 'rgba(0, 0, 0, 0.08)',
  'textBlockQuote-background': '#f2f2f2', 'textBlockQuote-border': '#d0d0d0', 'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  'menu-background': '#ffffff', 'menu-foreground': '#3b3b3b', 'menu-selectionBackground': '#005fb8', 'menu-selectionForeground': '#ffffff',
  'menu-border': '#cecece', 'menu-separatorBackground': '#d4d4d4', 'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8',
  'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#f6f5d2',
  'inputValidation-warningBorder': '#b89500', 'editorWarning-foreground': '#bf8803', 'scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
  'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)', 'scrollbarSlider-activeBackground': 'rgba(0, 0, 0, 0.6)',
  'debugTokenExpression-name': '#9b46b0', 'debugTokenExpression-value': 'rgba(108, 108, 108, 0.8)', 'debugTokenExpression-string': '#a31515',
  'debugTokenExpression-boolean': '#0000ff', 'debugTokenExpression-number': '#098658', 'debugTokenExpression-error': '#e51400',
  'symbolIcon-functionForeground': '#652d90', 'symbolIcon-classForeground': '#d67e00', 'symbolIcon-variableForeground': '#007acc',
  'symbolIcon-constantForeground': '#3b3b3b', 'symbolIcon-keywordForeground': '#3b3b3b', 'gitDecoration-addedResourceForeground': '#587c0c',
  'gitDecoration-deletedResourceForeground': '#ad0707', 'diffEditor-insertedTextBackground': 'rgba(156, 204, 44, 0.25)',
  'diffEditor-removedTextBackground': 'rgba(255, 0, 0, 0.2)', 'chat-requestBackground': 'rgba(255, 255, 255, 0.62)',
  'progressBar-background': '#005fb8', 'testing-iconPassed': '#388a34', 'list-activeSelectionBackground': '#e8e8e8',
};

const hc: Record<string, string> = {
  foreground: '#ffffff', descriptionForeground: 'rgba(255, 255, 255, 0.7)', disabledForeground: '#a5a5a5', errorForeground: '#f48771',
  focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518', 'icon-foreground': '#ffffff',
  'sideBar-background': '#000000', 'editor-background': '#000000', 'editor-foreground': '#ffffff', 'panel-border': '#6fc3df',
  'widget-border': '#6fc3df', 'widget-shadow': 'transparent', 'sideBarSectionHeader-border': '#6fc3df',
  'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
  'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
  'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#000000',
  'badge-background': '#000000', 'badge-foreground': '#ffffff', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
  'textCodeBlock-background': '#000000', 'textPreformat-foreground': '#ffffff', 'textPreformat-background': '#000000',
  'textBlockQuote-background': '#000000', 'textBlockQuote-border': '#ffffff', 'toolbar-hoverBackground': 'transparent',
  'menu-background': '#000000', 'menu-foreground': '#ffffff', 'menu-selectionBackground': '#000000', 'menu-selectionForeground': '#ffffff',
  'menu-selectionBorder': '#f38518', 'menu-border': '#6fc3df', 'menu-separatorBackground': '#6fc3df', 'editorWidget-background': '#0c141f',
  'editorWidget-border': '#6fc3df', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771',
  'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#ffd700', 'editorWarning-foreground': '#ffd700',
  'scrollbarSlider-background': 'rgba(111, 195, 223, 0.6)', 'scrollbarSlider-hoverBackground': 'rgba(111, 195, 223, 0.8)',
  'scrollbarSlider-activeBackground': '#6fc3df', 'debugTokenExpression-name': '#ffffff', 'debugTokenExpression-value': '#ffffff',
  'debugTokenExpression-string': '#f48771', 'debugTokenExpression-boolean': '#75bdfe', 'debugTokenExpression-number': '#89d185',
  'debugTokenExpression-error': '#f48771', 'symbolIcon-functionForeground': '#dcdcaa', 'symbolIcon-classForeground': '#ee9d28',
  'symbolIcon-variableForeground': '#9cdcfe', 'symbolIcon-constantForeground': '#ffffff', 'symbolIcon-keywordForeground': '#ffffff',
  'gitDecoration-addedResourceForeground': '#a1e3ad', 'gitDecoration-deletedResourceForeground': '#c74e39', 'progressBar-background': '#6fc3df',
  'testing-iconPassed': '#73c991',
};

export const THEMES: Record<ThemeName, { bodyClass: string; kind: string; vars: Record<string, string> }> = {
  dark: { bodyClass: 'vscode-dark', kind: 'vscode-dark', vars: { ...common, ...dark } },
  light: { bodyClass: 'vscode-light', kind: 'vscode-light', vars: { ...common, ...light } },
  hc: { bodyClass: 'vscode-high-contrast', kind: 'vscode-high-contrast', vars: { ...common, ...hc } },
};

/** Sets the theme on the page the way VS Code does (variables on <html>, a class on <body>). */
export function applyTheme(name: ThemeName): void {
  const theme = THEMES[name];
  const root = document.documentElement;
  for (const [k, v] of Object.entries(theme.vars)) root.style.setProperty(`--vscode-${k}`, v);
  root.style.setProperty('background', theme.vars['sideBar-background']);
  document.body.classList.add(theme.bodyClass);
  document.body.dataset.vscodeThemeKind = theme.kind;
}

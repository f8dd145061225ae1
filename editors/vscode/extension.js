// Starts `fmpolicy lsp` for .fm files. Everything else (diagnostics, hover, definition,
// completion, outline, formatting) comes from the language server; see docs/editors.md.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("fmpolicy");
  const env = { ...process.env };
  const policyPath = config.get("policyPath");
  if (policyPath) env.FMPOLICY_PATH = policyPath;
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const server = {
    command: config.get("path") || "fmpolicy",
    args: ["lsp"],
    // ./policies is looked up relative to this directory.
    options: { env, cwd: folder ? folder.uri.fsPath : undefined },
  };
  client = new LanguageClient("fmpolicy", "fmpolicy", { run: server, debug: server }, {
    documentSelector: [{ language: "fmpolicy" }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

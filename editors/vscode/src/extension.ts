// The belysa extension: starts `belysa lsp` and connects it to Markdown, plain text and
// .belysa rule files.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function options(): { packs: string[]; kind: string } {
  const config = vscode.workspace.getConfiguration("belysa");
  return { packs: config.get<string[]>("packs", []), kind: config.get<string>("kind", "auto") };
}

async function start(): Promise<void> {
  const command = vscode.workspace.getConfiguration("belysa").get<string>("path", "belysa");
  const server: ServerOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "file", language: "belysa" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    initializationOptions: options(),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/belysa.toml"),
        vscode.workspace.createFileSystemWatcher("**/*.belysa"),
      ],
    },
  };
  client = new LanguageClient("belysa", "belysa", server, clientOptions);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(
      `belysa kunde inte starta (${command} lsp). Kontrollera inställningen belysa.path. ${String(e)}`,
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("belysa")) {
        // Packs, kind and path are read when the server starts: restart it.
        await client?.stop();
        await start();
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

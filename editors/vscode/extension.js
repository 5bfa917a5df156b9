// A minimal client: start `asl-lint lsp` over stdio for JSON and YAML files.
// The server itself decides which documents are state machines and stays quiet about the rest.
// vscode-languageclient runs it as `asl-lint lsp --stdio` (it adds --stdio for TransportKind.stdio);
// tests/lsp/test_transports.py starts the server with exactly that command line.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("asl-lint").get("path", "asl-lint");
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "json" },
      { scheme: "untitled", language: "yaml" },
    ],
    synchronize: {
      // The project's config, and what gives a definition its context (templates, Terraform,
      // serverless.yml, policy documents): the server re-lints the open documents of the project.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/{pyproject.toml,.asl-lint.toml}"),
        vscode.workspace.createFileSystemWatcher("**/*.{tf,tfvars,json,yaml,yml}"),
      ],
    },
  };
  client = new LanguageClient("asl-lint", "asl-lint", server, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

#!/usr/bin/env node
// Validate many definition files in ONE process with the AWS language service
// (npm amazon-states-language-service, what the AWS Toolkit for VS Code runs), for
// benchmarks/peers.py. The service is a library with no CLI; this is the least a batch run does:
// create the service once, then parse and validate each file.
//
//   node asl_service_batch.js NODE_MODULES_DIR FILE...
//
// Prints one line per file: "<errors> <file>"; exit 0.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [nodeModules, ...files] = process.argv.slice(2);
  const asl = require(path.join(nodeModules, 'amazon-states-language-service'));
  const { TextDocument } = require(path.join(nodeModules, 'vscode-languageserver-textdocument'));
  const jsonService = asl.getLanguageService({});
  const yamlService = asl.getYamlLanguageService({});
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const uri = 'file://' + path.resolve(file);
    let diagnostics;
    try {
      if (/\.ya?ml$/i.test(file)) {
        diagnostics = await yamlService.doValidation(TextDocument.create(uri, 'asl-yaml', 1, text));
      } else {
        const doc = TextDocument.create(uri, 'asl', 1, text);
        diagnostics = await jsonService.doValidation(doc, jsonService.parseJSONDocument(doc));
      }
    } catch (err) {
      process.stdout.write(`crash ${file}\n`);
      continue;
    }
    const errors = diagnostics.filter((d) => d.severity === 1 || d.severity === undefined).length;
    process.stdout.write(`${errors} ${file}\n`);
  }
}

main().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(2);
});

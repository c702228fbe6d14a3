import * as vscode from 'vscode';
import { citationStyleFor } from '../core/cite';
import { findBibliographies, texRootMagic } from '../core/bibfind';
import { decodeSource } from '../core/decode';
import type { Config } from './config';

/** Where a document's bibliography was found. */
export type BibOrigin = 'document' | 'root' | 'setting' | 'none';

export interface DocumentBibliographies {
  uris: vscode.Uri[];
  origin: BibOrigin;
}

function dirOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

function isAbsolutePath(p: string): boolean {
  return /^([a-zA-Z]:[\\/]|\/|\\\\)/.test(p);
}

/** Resolve a path written in a document against the document's folder. */
export function resolveAgainst(base: vscode.Uri, written: string): vscode.Uri {
  // The base's query and fragment belong to it, not to the file named (joinPath keeps them).
  const folder = base.with({ query: '', fragment: '' });
  if (isAbsolutePath(written)) return folder.scheme === 'file' ? vscode.Uri.file(written) : folder.with({ path: written.replace(/\\/g, '/') });
  return vscode.Uri.joinPath(dirOf(folder), written.replace(/\\/g, '/'));
}

/**
 * The text of a document: from the open editor buffer when it is open, else from disk
 * (UTF-8, UTF-16 or Latin-1); `undefined` when it cannot be read or is not text.
 */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const decoded = decodeSource(await vscode.workspace.fs.readFile(uri));
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the bibliographies a document uses: `\bibliography{}` / `\addbibresource{}` in
 * the document or its root file (`% !TEX root = …`), YAML `bibliography:` in Markdown,
 * else the `paperShelf.bibliographyFile` setting.
 */
export class BibliographyLocator {
  constructor(private readonly config: Config) {}

  async forDocument(doc: Pick<vscode.TextDocument, 'uri' | 'languageId' | 'fileName' | 'getText'>): Promise<DocumentBibliographies> {
    const style = citationStyleFor(doc.languageId, doc.fileName);
    const text = doc.getText();
    const own = findBibliographies(text, style);
    if (own.length) return { uris: own.map((r) => resolveAgainst(doc.uri, r.path)), origin: 'document' };

    if (style === 'latex') {
      const root = texRootMagic(text);
      if (root) {
        const rootUri = resolveAgainst(doc.uri, root);
        const rootText = await readText(rootUri);
        if (rootText !== undefined) {
          const refs = findBibliographies(rootText, 'latex');
          if (refs.length) return { uris: refs.map((r) => resolveAgainst(rootUri, r.path)), origin: 'root' };
        }
      }
    }

    const setting = this.config.bibliographyFile;
    if (setting) {
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = isAbsolutePath(setting) ? vscode.Uri.file(setting) : folder ? vscode.Uri.joinPath(folder, setting) : resolveAgainst(doc.uri, setting);
      return { uris: [uri], origin: 'setting' };
    }
    return { uris: [], origin: 'none' };
  }
}

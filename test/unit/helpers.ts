/** Shared helpers for unit tests: the repo root, the bundled seed listing, paper builders. */
import * as fs from 'fs';
import * as path from 'path';
import type { Paper } from '../../src/core/model';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The bundled listing and its capture date, read from seeds/manifest.json as the extension does. */
export function seedListing(): { file: string; text: string; captured: string } {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'seeds', 'manifest.json'), 'utf8')) as {
    listings: { file: string; captured: string }[];
  };
  const entry = manifest.listings[0];
  const file = path.join(repoRoot, 'seeds', entry.file);
  return { file, text: fs.readFileSync(file, 'utf8'), captured: entry.captured };
}

/** `../shared` beside the repo: present in CI and on developer machines, absent in a user's clone. */
export function sharedDir(): string {
  const dir = path.resolve(repoRoot, '..', 'shared');
  if (!fs.existsSync(dir)) {
    throw new Error(`This test needs the shared test data at ${dir} (present in CI and on the team's machines, not in a plain clone).`);
  }
  return dir;
}

/** A paper with sensible defaults, for tests that need specific fields. */
export function paper(over: Partial<Paper> & Pick<Paper, 'key' | 'title'>): Paper {
  return {
    authors: [],
    authorsTruncated: false,
    year: null,
    month: null,
    day: null,
    category: null,
    abstract: '',
    hasCode: false,
    codeUrl: null,
    source: { file: 'test.txt', line: 1 },
    ...over,
  };
}

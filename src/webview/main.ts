/**
 * The detail panel's browser code. Every record field is inserted as text
 * (`textContent`), never as HTML. Messages from the host are `safeParse`d; anything
 * else is dropped. The panel says `ready` before the host posts anything, and keeps
 * the shown key in `setState` so VS Code can restore it after a reload.
 */
import { HostMessageSchema, PanelStateSchema, type PaperView, type WebviewMessage } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

function restoredKey(): string | null {
  const s = PanelStateSchema.safeParse(vscode.getState());
  return s.success ? s.data.key : null;
}

type Child = Node | string | null | undefined | false;

/** Create an element; string children become text nodes. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

function button(label: string, iconName: string, onClick: () => void, opts: { primary?: boolean; id?: string } = {}): HTMLButtonElement {
  // The label as title and accessible name too: a narrow panel shows the icon only.
  const b = el('button', { type: 'button', class: opts.primary ? 'primary' : 'secondary', title: label, 'aria-label': label }, icon(iconName), el('span', {}, label));
  if (opts.id) b.id = opts.id;
  b.addEventListener('click', onClick);
  return b;
}

/** A link that asks the host to open it (the host checks it and opens only http(s)). */
function link(key: string, url: string, label: string, id?: string): HTMLAnchorElement {
  // No href: VS Code's webview would open an <a href> itself too, around the host's checks.
  const a = el('a', { role: 'link', tabindex: '0', title: url, class: 'link' }, label);
  if (id) a.id = id;
  const open = (e: Event) => {
    e.preventDefault();
    vscode.postMessage({ type: 'openLink', key, url });
  };
  a.addEventListener('click', open);
  a.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open(e);
  });
  return a;
}

let flashTimer: ReturnType<typeof setTimeout> | undefined;
function flash(text: string): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = text;
  if (flashTimer) clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (status.textContent = ''), 2500);
}

function section(id: string, title: string, ...body: Child[]): HTMLElement {
  return el('section', { 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, title), ...body);
}

function render(p: PaperView): void {
  const key = p.key;
  const authors = p.authors.join(', ') + (p.authorsTruncated ? (p.authors.length ? ', et al.' : 'et al.') : '');
  const meta = el('p', { class: 'meta' });
  if (p.date) meta.append(el('span', { id: 'date' }, icon('calendar'), ' ', p.date));
  if (p.category) {
    const cat = el('span', { id: 'category', class: 'badge', title: p.category.archive ?? p.category.code }, p.category.archive ?? p.category.code);
    meta.append(cat);
    if (p.category.name) meta.append(el('span', { class: 'category-name' }, p.category.name));
  }
  if (p.hasCode) meta.append(el('span', { class: 'badge code' }, icon('file-code'), ' Code'));

  const actions = el('div', { class: 'actions', role: 'group', 'aria-label': 'Paper actions' });
  actions.append(button('Insert Citation', 'quote', () => vscode.postMessage({ type: 'insertCitation', key }), { primary: true, id: 'insert' }));
  if (p.codeUrl) actions.append(button('Open Code', 'github', () => vscode.postMessage({ type: 'openCode', key }), { id: 'open-code' }));
  else if (p.hasCode) actions.append(button('Search Code on GitHub', 'search', () => vscode.postMessage({ type: 'searchCode', key }), { id: 'search-code' }));
  actions.append(button('Reveal in Source', 'go-to-file', () => vscode.postMessage({ type: 'revealInSource', key }), { id: 'reveal' }));

  const linkItems: HTMLElement[] = [];
  if (p.codeUrl) linkItems.push(el('li', {}, icon('file-code'), ' Code: ', link(key, p.codeUrl, p.codeUrl, 'code-link')));
  for (const l of p.links) linkItems.push(el('li', {}, icon('link-external'), ' ', link(key, l.url, l.label)));

  const parts: (HTMLElement | null)[] = [
    el('header', {},
      el('h1', { id: 'title' }, p.title),
      el('p', { id: 'authors', class: 'authors' }, authors || 'Unknown authors'),
      meta,
    ),
    actions,
    section('abstract', 'Abstract', p.abstract ? el('p', { id: 'abstract', class: 'abstract' }, p.abstract) : el('p', { class: 'muted' }, 'No abstract.')),
    section('key', 'Citation key',
      el('div', { class: 'row' },
        el('code', { id: 'citation-key' }, key),
        button('Copy', 'copy', () => vscode.postMessage({ type: 'copyKey', key }), { id: 'copy-key' }),
      ),
    ),
    linkItems.length ? section('links', 'Links', el('ul', { class: 'links' }, ...linkItems)) : null,
    section('bibtex', 'BibTeX',
      el('pre', { class: 'bibtex', tabindex: '0' }, el('code', { id: 'bibtex' }, p.bibtex)),
      el('div', { class: 'row' }, button('Copy BibTeX', 'copy', () => vscode.postMessage({ type: 'copyBibtex', key }), { id: 'copy-bibtex' })),
    ),
    el('p', { class: 'source muted' }, 'Source: ', p.sourceLabel),
    el('div', { id: 'status', role: 'status', 'aria-live': 'polite' }),
  ];
  root.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  vscode.setState({ key });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    console.warn('Paper Shelf: dropped a malformed message from the host');
    return;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'show':
      render(msg.paper);
      break;
    case 'missing':
      root.replaceChildren(el('p', { class: 'placeholder' }, `The paper “${msg.key}” is no longer in the library.`));
      break;
    case 'flash':
      flash(msg.text);
      break;
  }
});

vscode.postMessage({ type: 'ready', key: restoredKey() });

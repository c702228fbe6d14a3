/**
 * arXiv subject categories behind the two-letter codes a paper listing shows (`LG`, `ML`, …).
 *
 * A listing shows only the part after the dot, and several archives reuse the same two
 * letters (`cs.CV` Computer Vision, `math.CV` Complex Variables). Listings of this kind
 * come from computer-science profile pages, so a code resolves in this order of
 * precedence: every `cs.*` code first, then `stat.*` (`ML` → `stat.ML`), then `eess.*`,
 * then `math.*`. Codes outside these tables stay unknown (`archive` and `name` null).
 */
import type { Category } from './model';

type Table = Readonly<Record<string, string>>;

/** https://arxiv.org/category_taxonomy, Computer Science. */
const CS: Table = {
  AI: 'Artificial Intelligence',
  AR: 'Hardware Architecture',
  CC: 'Computational Complexity',
  CE: 'Computational Engineering, Finance, and Science',
  CG: 'Computational Geometry',
  CL: 'Computation and Language',
  CR: 'Cryptography and Security',
  CV: 'Computer Vision and Pattern Recognition',
  CY: 'Computers and Society',
  DB: 'Databases',
  DC: 'Distributed, Parallel, and Cluster Computing',
  DL: 'Digital Libraries',
  DM: 'Discrete Mathematics',
  DS: 'Data Structures and Algorithms',
  ET: 'Emerging Technologies',
  FL: 'Formal Languages and Automata Theory',
  GL: 'General Literature',
  GR: 'Graphics',
  GT: 'Computer Science and Game Theory',
  HC: 'Human-Computer Interaction',
  IR: 'Information Retrieval',
  IT: 'Information Theory',
  LG: 'Machine Learning',
  LO: 'Logic in Computer Science',
  MA: 'Multiagent Systems',
  MM: 'Multimedia',
  MS: 'Mathematical Software',
  NA: 'Numerical Analysis',
  NE: 'Neural and Evolutionary Computing',
  NI: 'Networking and Internet Architecture',
  OH: 'Other Computer Science',
  OS: 'Operating Systems',
  PF: 'Performance',
  PL: 'Programming Languages',
  RO: 'Robotics',
  SC: 'Symbolic Computation',
  SD: 'Sound',
  SE: 'Software Engineering',
  SI: 'Social and Information Networks',
  SY: 'Systems and Control',
};

/** Statistics. */
const STAT: Table = {
  AP: 'Applications',
  CO: 'Computation',
  ME: 'Methodology',
  ML: 'Machine Learning',
  OT: 'Other Statistics',
  TH: 'Statistics Theory',
};

/** Electrical Engineering and Systems Science. */
const EESS: Table = {
  AS: 'Audio and Speech Processing',
  IV: 'Image and Video Processing',
  SP: 'Signal Processing',
  SY: 'Systems and Control',
};

/** Mathematics. */
const MATH: Table = {
  AC: 'Commutative Algebra',
  AG: 'Algebraic Geometry',
  AP: 'Analysis of PDEs',
  AT: 'Algebraic Topology',
  CA: 'Classical Analysis and ODEs',
  CO: 'Combinatorics',
  CT: 'Category Theory',
  CV: 'Complex Variables',
  DG: 'Differential Geometry',
  DS: 'Dynamical Systems',
  FA: 'Functional Analysis',
  GM: 'General Mathematics',
  GN: 'General Topology',
  GR: 'Group Theory',
  GT: 'Geometric Topology',
  HO: 'History and Overview',
  IT: 'Information Theory',
  KT: 'K-Theory and Homology',
  LO: 'Logic',
  MG: 'Metric Geometry',
  MP: 'Mathematical Physics',
  NA: 'Numerical Analysis',
  NT: 'Number Theory',
  OA: 'Operator Algebras',
  OC: 'Optimization and Control',
  PR: 'Probability',
  QA: 'Quantum Algebra',
  RA: 'Rings and Algebras',
  RT: 'Representation Theory',
  SG: 'Symplectic Geometry',
  SP: 'Spectral Theory',
  ST: 'Statistics Theory',
};

/** Archives in order of precedence for a bare two-letter code. */
const ARCHIVES: readonly (readonly [string, Table])[] = [
  ['cs', CS],
  ['stat', STAT],
  ['eess', EESS],
  ['math', MATH],
];

/** Every known code with the archive it resolves to, e.g. `LG` → `cs.LG`. */
const CATEGORY_CODES: ReadonlyMap<string, Readonly<Category>> = buildIndex();

function buildIndex(): Map<string, Readonly<Category>> {
  const index = new Map<string, Readonly<Category>>();
  for (const [prefix, table] of ARCHIVES) {
    for (const [code, name] of Object.entries(table)) {
      if (!index.has(code)) index.set(code, { code, archive: `${prefix}.${code}`, name });
    }
  }
  return index;
}

/**
 * The category for a code as written in a listing, a new object each time. Unknown codes
 * keep the code with `archive` and `name` null: `categoryForCode('ZZ')` →
 * `{ code: 'ZZ', archive: null, name: null }`.
 */
export function categoryForCode(code: string): Category {
  const known = CATEGORY_CODES.get(code);
  // The table's strings rather than the caller's: papers keep them, and share one copy.
  return known ? { code: known.code, archive: known.archive, name: known.name } : { code, archive: null, name: null };
}

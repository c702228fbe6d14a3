// Child process: serialises the records our reader returns for one data set, the input of
// the JSON.parse floor. Usage: node bench/make-json.js <dataset-id> <out.json>
'use strict';
const fs = require('fs');
const path = require('path');
const paths = require('./paths');
const { readRecords } = require('./parsers');

const [id, out] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(paths.dataDir, 'manifest.json'), 'utf8'));
const dataset = manifest.datasets.find((d) => d.id === id);
if (!dataset) throw new Error(`unknown data set ${id}`);
const papers = dataset.files.flatMap((file) => readRecords(dataset, file, fs.readFileSync(file, 'utf8')));
fs.writeFileSync(out, JSON.stringify(papers));

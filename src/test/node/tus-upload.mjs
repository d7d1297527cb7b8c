// Uploads one file with tus-js-client, as a program would: node tus-upload.mjs ENDPOINT FILE PROTOCOL CHUNK_SIZE [abort-after-first]
// PROTOCOL is tus-v1 or ietf-draft-05. With abort-after-first, the upload is stopped after its first chunk and
// started again from its URL, the way a client resumes after a broken connection. Prints one line of JSON.
import tus from 'tus-js-client';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [endpoint, file, protocol, chunkSize, mode] = process.argv.slice(2);
const data = readFileSync(file);
const chunks = [];

function run(extra) {
  return new Promise((resolve, reject) => {
    let upload;
    upload = new tus.Upload(data, {
      endpoint,
      protocol,
      chunkSize: Number(chunkSize),
      retryDelays: [0, 500, 1000, 2000, 4000],
      metadata: { filename: basename(file), title: 'tus-js-client ' + protocol },
      onChunkComplete: (size, accepted) => {
        chunks.push(accepted);
        if (mode === 'abort-after-first' && !extra.uploadUrl) {
          upload.abort().then(() => resolve({ aborted: true, url: upload.url }));
        }
      },
      onSuccess: () => resolve({ aborted: false, url: upload.url }),
      onError: reject,
      ...extra,
    });
    upload.start();
  });
}

let result = await run({});
let resumedFrom = null;
if (result.aborted) {
  resumedFrom = chunks[chunks.length - 1];
  result = await run({ uploadUrl: result.url });
}
const head = await fetch(result.url, {
  method: 'HEAD',
  headers: protocol === 'tus-v1' ? { 'Tus-Resumable': '1.0.0' } : { 'Upload-Draft-Interop-Version': '6' },
});
console.log(JSON.stringify({
  url: result.url,
  status: head.status,
  offset: head.headers.get('upload-offset'),
  sha256: head.headers.get('teledrop-sha256'),
  fileUrl: head.headers.get('teledrop-file-url'),
  chunks,
  resumedFrom,
}));

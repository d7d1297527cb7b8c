// The reference tus server the tests compare Teledrop's answers with: @tus/server with a file store.
// node tus-reference-server.mjs PORT DIRECTORY; prints "ready" once it listens on 127.0.0.1:PORT, path /files.
import http from 'node:http';
import serverPackage from '@tus/server';
import storePackage from '@tus/file-store';

const [port, directory] = process.argv.slice(2);
const tusServer = new serverPackage.Server({ path: '/files', datastore: new storePackage.FileStore({ directory }) });
http.createServer((req, res) => tusServer.handle(req, res)).listen(Number(port), '127.0.0.1', () => console.log('ready'));

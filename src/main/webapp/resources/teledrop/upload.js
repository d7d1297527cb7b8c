/*
 * The upload page with JavaScript: files are picked or dropped, checked against the server's limits, then
 * sent one after another as resumable uploads (tus 1.0, through tus-js-client) to the same /api/uploads the
 * plain form posts to: the first with the drop's options, which creates the drop, the rest into that drop
 * with its delete token. A broken connection or a restarting server does not stop a file: tus-js-client asks
 * the server how far it got and goes on from there, for about three minutes of retries. Each file's progress
 * drives its bar and the overall bar, speed and time left. Cancel ends the uploads and deletes the drop, so
 * nothing half-done is left behind. Without tus-js-client (an old browser) the files go as before: the first
 * as multipart, the rest as raw PUTs.
 */
(function () {
    'use strict';

    var form = document.getElementById('upload-form');
    if (!form || !window.XMLHttpRequest || !window.FormData || !window.Promise) {
        return;
    }
    var input = document.getElementById('files');
    var dropzone = document.getElementById('dropzone');
    var list = document.getElementById('file-list');
    var formError = document.getElementById('form-error');
    var uploadButton = document.getElementById('upload-button');
    var cancelButton = document.getElementById('cancel-button');
    var overall = document.getElementById('overall');
    var overallBar = document.getElementById('overall-progress');
    var overallStatus = document.getElementById('overall-status');
    var result = document.getElementById('result');
    var apiKeyInput = document.getElementById('apiKey');

    var limits = {
        files: Number(form.dataset.maxFiles),
        fileSize: Number(form.dataset.maxFileSize),
        dropSize: Number(form.dataset.maxDropSize)
    };
    var base = new URL(form.dataset.base, window.location.href);

    var items = [];
    var running = null;
    /** Pieces of 8 MiB: a restart of the server loses at most one piece of each file in flight. */
    var RESUMABLE_CHUNK = 8 * 1024 * 1024;
    /** About three minutes of retries: long enough for a server restart or a laptop waking on another network. */
    var RETRY_DELAYS = [0, 1000, 2000, 3000, 5000, 5000, 10000, 10000, 10000, 10000, 15000, 15000, 15000, 15000, 15000, 15000, 15000, 15000];

    // The script takes over the file input: files are kept in `items`, so the input itself may stay empty.
    input.required = false;
    form.noValidate = false;

    function formatBytes(bytes) {
        if (bytes < 1024) {
            return bytes + (bytes === 1 ? ' byte' : ' bytes');
        }
        var units = ['KiB', 'MiB', 'GiB', 'TiB'];
        var value = bytes / 1024;
        var unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value < 10 ? value.toFixed(1) : value.toFixed(0)) + ' ' + units[unit];
    }

    function formatSeconds(seconds) {
        if (!isFinite(seconds)) {
            return '';
        }
        seconds = Math.max(1, Math.round(seconds));
        if (seconds < 60) {
            return seconds + ' s left';
        }
        if (seconds < 3600) {
            return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s left';
        }
        return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min left';
    }

    function showError(message) {
        formError.textContent = message;
        formError.hidden = !message;
    }

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function addFiles(files) {
        showError('');
        Array.prototype.forEach.call(files, function (file) {
            var li = element('li', 'file-item');
            var head = element('div', 'file-item-head');
            var name = element('span', 'name', file.name);
            var size = element('span', 'size', formatBytes(file.size));
            var remove = element('button', 'remove', '×');
            remove.type = 'button';
            remove.setAttribute('aria-label', 'Remove ' + file.name);
            var bar = element('progress', 'file-progress');
            bar.max = 100;
            bar.value = 0;
            bar.setAttribute('aria-label', 'Progress of ' + file.name);
            var status = element('span', 'file-status', 'waiting');
            status.setAttribute('aria-live', 'polite');
            head.appendChild(name);
            head.appendChild(size);
            head.appendChild(remove);
            li.appendChild(head);
            li.appendChild(bar);
            li.appendChild(status);
            var item = {file: file, li: li, bar: bar, status: status, loaded: 0, done: false, removed: false, xhr: null};
            remove.addEventListener('click', function () {
                removeItem(item);
            });
            items.push(item);
            list.appendChild(li);
        });
        list.hidden = items.length === 0;
        checkLimits();
    }

    function removeItem(item) {
        if (item.done) {
            return;
        }
        item.removed = true;
        if (item.xhr) {
            item.xhr.abort();
        }
        if (item.upload) {
            terminate(item.upload);
            item.rejectUpload({aborted: true});
        }
        item.li.remove();
        items = items.filter(function (other) { return other !== item; });
        list.hidden = items.length === 0;
        checkLimits();
    }

    /** The server's limits, checked before a byte is sent. Returns an error message or ''. */
    function checkLimits() {
        var message = '';
        var total = 0;
        items.forEach(function (item) {
            total += item.file.size;
            var tooLarge = item.file.size > limits.fileSize;
            item.li.classList.toggle('invalid', tooLarge);
            if (tooLarge) {
                item.status.textContent = 'larger than the limit of ' + formatBytes(limits.fileSize);
                message = message || '“' + item.file.name + '” is larger than the limit of ' + formatBytes(limits.fileSize) + ' per file.';
            } else if (!running) {
                item.status.textContent = 'waiting';
            }
        });
        if (!message && items.length > limits.files) {
            message = 'A drop holds at most ' + limits.files + ' files; remove ' + (items.length - limits.files) + '.';
        }
        if (!message && total > limits.dropSize) {
            message = 'Together the files are ' + formatBytes(total) + '; a drop holds at most ' + formatBytes(limits.dropSize) + '.';
        }
        showError(message);
        return message;
    }

    input.addEventListener('change', function () {
        addFiles(input.files);
        input.value = '';
    });

    ['dragenter', 'dragover'].forEach(function (type) {
        dropzone.addEventListener(type, function (event) {
            event.preventDefault();
            dropzone.classList.add('dragging');
        });
    });
    ['dragleave', 'dragend', 'drop'].forEach(function (type) {
        dropzone.addEventListener(type, function () {
            dropzone.classList.remove('dragging');
        });
    });
    dropzone.addEventListener('drop', function (event) {
        event.preventDefault();
        if (!running && event.dataTransfer && event.dataTransfer.files.length) {
            addFiles(event.dataTransfer.files);
        }
    });

    /** The problem+json detail (and field errors) of a failed answer, in words. */
    function problemText(xhr) {
        try {
            var problem = JSON.parse(xhr.responseText);
            var text = problem.detail || problem.title;
            if (problem.errors && problem.errors.length) {
                text += ' ' + problem.errors.map(function (e) { return e.field + ': ' + e.message + '.'; }).join(' ');
            }
            return text;
        } catch (e) {
            return 'The server answered ' + xhr.status + '.';
        }
    }

    function send(item, method, url, headers, body, progress) {
        return new Promise(function (resolve, reject) {
            var xhr = new XMLHttpRequest();
            item.xhr = xhr;
            xhr.open(method, url);
            xhr.setRequestHeader('Accept', 'application/json');
            Object.keys(headers).forEach(function (name) {
                xhr.setRequestHeader(name, headers[name]);
            });
            xhr.upload.addEventListener('progress', function (event) {
                if (event.lengthComputable) {
                    progress(event.loaded, event.total);
                }
            });
            xhr.addEventListener('load', function () {
                item.xhr = null;
                if (xhr.status === 201) {
                    resolve(JSON.parse(xhr.responseText));
                } else {
                    reject({message: problemText(xhr), status: xhr.status});
                }
            });
            xhr.addEventListener('error', function () {
                item.xhr = null;
                reject({message: 'The connection to the server was lost.', status: 0});
            });
            xhr.addEventListener('abort', function () {
                item.xhr = null;
                reject({aborted: true});
            });
            xhr.send(body);
        });
    }

    function field(name) {
        var node = form.elements[name];
        return node && node.value ? node.value.trim() : '';
    }

    function authHeaders() {
        return apiKeyInput && apiKeyInput.value ? {'X-API-Key': apiKeyInput.value.trim()} : {};
    }

    function setBusy(busy) {
        Array.prototype.forEach.call(form.querySelectorAll('input, select, textarea'), function (node) {
            node.disabled = busy;
        });
        uploadButton.disabled = busy;
        cancelButton.hidden = !busy;
        dropzone.classList.toggle('disabled', busy);
    }

    function upload() {
        var pending = items.filter(function (item) { return !item.removed; });
        var totalBytes = pending.reduce(function (sum, item) { return sum + item.file.size; }, 0);
        var run = {created: null, latest: null, cancelled: false, startedAt: performance.now(), speed: 0, lastAt: 0, lastBytes: 0};
        running = run;
        setBusy(true);
        overall.hidden = false;
        overallBar.value = 0;
        overallStatus.textContent = 'Starting…';

        function sentBytes() {
            return items.reduce(function (sum, item) { return sum + (item.removed ? 0 : item.loaded); }, 0);
        }

        function report() {
            var sent = sentBytes();
            var total = items.reduce(function (sum, item) { return sum + (item.removed ? 0 : item.file.size); }, 0) || totalBytes || 1;
            var now = performance.now();
            if (run.lastAt && now - run.lastAt >= 250) {
                var instant = (sent - run.lastBytes) / ((now - run.lastAt) / 1000);
                // A smoothed rate, so the time left does not jump about with every packet.
                run.speed = run.speed ? run.speed * 0.7 + instant * 0.3 : instant;
                run.lastAt = now;
                run.lastBytes = sent;
            } else if (!run.lastAt) {
                run.lastAt = now;
                run.lastBytes = sent;
            }
            var percent = Math.min(100, Math.floor(sent * 100 / total));
            overallBar.value = percent;
            var parts = [percent + '%', formatBytes(sent) + ' of ' + formatBytes(total)];
            if (run.speed > 0) {
                parts.push(formatBytes(run.speed) + '/s');
                parts.push(formatSeconds((total - sent) / run.speed));
            }
            overallStatus.textContent = parts.join(' · ');
        }

        /** One request for the whole file (no tus-js-client): multipart for the first, a raw PUT into the drop after. */
        function sendWhole(item, progress) {
            if (!run.created) {
                var body = new FormData();
                ['slug', 'title', 'description', 'password', 'expires', 'maxDownloads'].forEach(function (name) {
                    if (field(name)) {
                        body.append(name, field(name));
                    }
                });
                body.append('file', item.file, item.file.name);
                return send(item, 'POST', new URL('api/uploads', base), authHeaders(), body, progress);
            }
            var headers = authHeaders();
            headers['Teledrop-Drop'] = run.created.slug;
            headers['Teledrop-Delete-Token'] = run.created.deleteToken;
            headers['Content-Type'] = 'application/octet-stream';
            return send(item, 'PUT', new URL('api/uploads/' + encodeURIComponent(item.file.name), base), headers, item.file, progress);
        }

        /**
         * The file as a resumable upload; resolves with the drop as the API shows it once the file is in. The drop
         * exists from the first file's creation: its link and delete token come in that answer's headers.
         */
        function sendResumable(item, progress) {
            return new Promise(function (resolve, reject) {
                var attempts = 0;
                var metadata = {filename: item.file.name};
                if (!run.created) {
                    ['slug', 'title', 'description', 'password', 'expires', 'maxDownloads'].forEach(function (name) {
                        if (field(name)) {
                            metadata[name] = field(name);
                        }
                    });
                } else {
                    metadata.drop = run.created.slug;
                    metadata.deleteToken = run.created.deleteToken;
                }
                var upload = new window.tus.Upload(item.file, {
                    endpoint: new URL('api/uploads', base).href,
                    metadata: metadata,
                    headers: authHeaders(),
                    chunkSize: RESUMABLE_CHUNK,
                    retryDelays: null, // retried here (onError), once the server is ready again
                    storeFingerprintForResuming: false,
                    removeFingerprintOnSuccess: true,
                    onAfterResponse: function (req, res) {
                        var token = res.getHeader('Teledrop-Delete-Token');
                        var dropUrl = res.getHeader('Teledrop-Drop-Url');
                        if (token && dropUrl && !run.created) {
                            run.created = {slug: dropUrl.substring(dropUrl.lastIndexOf('/') + 1), deleteToken: token, url: dropUrl};
                        }
                    },
                    onProgress: function (loaded, total) {
                        item.status.textContent = 'uploading';
                        progress(loaded, total);
                    },
                    onChunkComplete: function () {
                        attempts = 0; // progress: a later interruption gets the whole round of retries again
                    },
                    onSuccess: function () {
                        console.info('Upload of ' + item.file.name + ' complete');
                        fetchDrop(run.created).then(resolve, reject);
                    },
                    onError: function (error) {
                        var response = error.originalResponse;
                        var status = response ? response.getStatus() : 0;
                        var creating = error.originalRequest && error.originalRequest.getMethod() === 'POST';
                        var ours = response && /urn:teledrop:problem/.test(response.getBody() || '');
                        // Worth another try: no answer, a server (re)starting (5xx, or 404 from a server whose
                        // application is not deployed yet), another request still finishing, an append whose
                        // offset moved on; not a refusal of ours (a creation's 409 is a taken slug).
                        var retry = status === 0 || status >= 500 || status === 423 || (status === 404 && !ours)
                            || (status === 409 && !creating);
                        if (retry && attempts < RETRY_DELAYS.length && !run.cancelled && !item.removed) {
                            item.status.textContent = 'connection lost, trying again…';
                            var delay = RETRY_DELAYS[attempts++];
                            console.info('Upload of ' + item.file.name + ' interrupted (' + (status || 'no answer') + '); trying again in ' + delay / 1000 + ' s');
                            setTimeout(function () {
                                // Only once the server answers again, so that tus-js-client's HEAD finds the
                                // upload rather than a server still starting (which would make it start over).
                                whenReady().then(function () {
                                    if (!run.cancelled && !item.removed) {
                                        upload.start();
                                    }
                                });
                            }, delay);
                            return;
                        }
                        reject({message: response ? problemText({responseText: response.getBody(), status: status})
                            : 'The connection to the server was lost.', status: status});
                    }
                });
                item.upload = upload;
                item.rejectUpload = reject;
                run.rejectCurrent = reject;
                upload.start();
            });
        }

        function uploadItem(item) {
            item.status.textContent = 'uploading';
            item.li.classList.add('active');
            var progress = function (loaded, total) {
                // Multipart adds headers around the file: count file bytes only.
                item.loaded = Math.min(item.file.size, Math.round(loaded * item.file.size / Math.max(total, 1)));
                item.bar.value = Math.floor(item.loaded * 100 / Math.max(item.file.size, 1));
                report();
            };
            var request = window.tus && window.tus.isSupported ? sendResumable(item, progress) : sendWhole(item, progress);
            return request.then(function (answer) {
                item.upload = null;
                item.done = true;
                item.loaded = item.file.size;
                item.bar.value = 100;
                item.status.textContent = 'done';
                item.li.classList.remove('active');
                item.li.classList.add('done');
                if (!run.created) {
                    run.created = answer;
                }
                run.latest = answer;
                report();
            }, function (failure) {
                item.li.classList.remove('active');
                if (failure.aborted && item.removed && !run.cancelled) {
                    return; // this file was removed; go on with the next
                }
                throw failure;
            });
        }

        var chain = Promise.resolve();
        pending.forEach(function (item) {
            chain = chain.then(function () {
                if (!run.cancelled && !item.removed) {
                    return uploadItem(item);
                }
            });
        });
        return chain.then(function () {
            if (run.cancelled) {
                throw {aborted: true};
            }
            if (!run.created) {
                throw {message: 'All files were removed; nothing was uploaded.'};
            }
            showResult(run.created, run.latest);
        }).catch(function (failure) {
            var message = failure.aborted ? 'Cancelled. Nothing was kept.' : failure.message;
            items.forEach(function (item) {
                if (!item.done) {
                    item.status.textContent = failure.aborted ? 'cancelled' : 'not uploaded';
                }
            });
            // Files already stored belong to a drop nobody has the link to yet: remove it all.
            var cleanup = run.created ? discard(run.created) : Promise.resolve();
            return cleanup.then(function () {
                resetAfterFailure();
                overallStatus.textContent = '';
                overall.hidden = true;
                showError(message);
            });
        }).then(function () {
            running = null;
        });
    }

    /**
     * Stops an upload and cancels it on the server. The request still appending holds the upload until the
     * server sees it end, so the cancellation is retried for a while (423 until then).
     */
    function terminate(upload) {
        upload.abort(false).then(function () {
            if (upload.url) {
                window.tus.Upload.terminate(upload.url, {headers: authHeaders(), retryDelays: [500, 1000, 2000, 4000, 8000]}).catch(function (e) {
                    console.info('Could not cancel ' + upload.url + ' (' + e + '); it expires by itself');
                });
            }
        });
    }

    /** Resolves once the server says it is ready (after a restart), or after two minutes of asking. */
    function whenReady() {
        var until = Date.now() + 120000;
        return new Promise(function (resolve) {
            (function ask() {
                var xhr = new XMLHttpRequest();
                xhr.open('GET', new URL('/health/ready', base));
                xhr.timeout = 5000;
                xhr.addEventListener('loadend', function () {
                    if (xhr.status === 200 || Date.now() > until) {
                        resolve();
                    } else {
                        setTimeout(ask, 1000);
                    }
                });
                xhr.send();
            })();
        });
    }

    /** The drop as the API shows it (its files, size and expiry), for the result. */
    function fetchDrop(created) {
        return new Promise(function (resolve, reject) {
            var xhr = new XMLHttpRequest();
            xhr.open('GET', new URL('api/drops/' + encodeURIComponent(created.slug), base));
            xhr.setRequestHeader('Accept', 'application/json');
            xhr.addEventListener('load', function () {
                if (xhr.status === 200) {
                    var drop = JSON.parse(xhr.responseText);
                    drop.deleteToken = created.deleteToken;
                    resolve(drop);
                } else {
                    reject({message: problemText(xhr), status: xhr.status});
                }
            });
            xhr.addEventListener('error', function () {
                reject({message: 'The connection to the server was lost.', status: 0});
            });
            xhr.send();
        });
    }

    function discard(created) {
        return new Promise(function (resolve) {
            var xhr = new XMLHttpRequest();
            xhr.open('DELETE', new URL('api/drops/' + encodeURIComponent(created.slug), base));
            xhr.setRequestHeader('Teledrop-Delete-Token', created.deleteToken);
            xhr.addEventListener('loadend', function () { resolve(); });
            xhr.send();
        });
    }

    function resetAfterFailure() {
        setBusy(false);
        items.forEach(function (item) {
            item.done = false;
            item.loaded = 0;
            item.bar.value = 0;
            item.li.classList.remove('done');
        });
    }

    function showResult(created, latest) {
        var drop = latest || created;
        var deletePage = new URL('delete.xhtml?slug=' + encodeURIComponent(created.slug) + '&token=' + encodeURIComponent(created.deleteToken), base);
        document.getElementById('share-link').value = created.url;
        document.getElementById('delete-link').value = deletePage.href;
        document.getElementById('open-drop').href = created.url;
        document.getElementById('qr').src = new URL('d/' + encodeURIComponent(created.slug) + '/qr.svg', base).href;
        var summary = drop.files.length + (drop.files.length === 1 ? ' file, ' : ' files, ') + formatBytes(drop.totalSize);
        if (drop.expires) {
            summary += ', expires ' + new Date(drop.expires).toLocaleString();
        }
        document.getElementById('result-summary').textContent = summary + '.';
        form.hidden = true;
        result.hidden = false;
        result.focus();
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (running) {
            return;
        }
        if (!items.length) {
            showError('Choose at least one file.');
            input.focus();
            return;
        }
        if (checkLimits()) {
            return;
        }
        if (!form.reportValidity()) {
            return;
        }
        upload();
    });

    cancelButton.addEventListener('click', function () {
        if (!running) {
            return;
        }
        running.cancelled = true;
        items.forEach(function (item) {
            if (item.xhr) {
                item.xhr.abort();
            }
            if (item.upload) {
                terminate(item.upload);
                item.upload = null;
            }
        });
        // tus-js-client's abort settles no promise: end the run here.
        if (running.rejectCurrent) {
            running.rejectCurrent({aborted: true});
        }
    });
})();

/*
 * Keeps an open drop page current: listens to the drop's event stream and reloads when files come or go
 * or the drop ends, and counts down the downloads left. Without EventSource the page simply stays as loaded.
 */
(function () {
    'use strict';
    var drop = document.getElementById('drop');
    if (!drop || !window.EventSource) {
        return;
    }
    var source = new EventSource(drop.getAttribute('data-events'));
    var reload = function () {
        source.close();
        window.location.reload();
    };
    ['file-added', 'file-deleted', 'drop-deleted', 'drop-expired'].forEach(function (type) {
        source.addEventListener(type, reload);
    });
    source.addEventListener('download', function () {
        var left = document.getElementById('downloads-left');
        if (!left) {
            return;
        }
        var count = Math.max(0, parseInt(left.textContent, 10) - 1);
        left.textContent = count + (count === 1 ? ' download left' : ' downloads left');
        if (count === 0) {
            reload();
        }
    });
})();

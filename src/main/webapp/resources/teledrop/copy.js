/* Copy buttons: data-copy="<input id>" or data-copy-text="<text>". Marks the page as scripted (html.js). */
(function () {
    'use strict';
    document.documentElement.classList.add('js');

    function fallbackCopy(text) {
        // navigator.clipboard exists only in secure contexts (https or localhost).
        var area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        var copied = false;
        try {
            copied = document.execCommand('copy');
        } finally {
            document.body.removeChild(area);
        }
        return copied;
    }

    function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
        }
        return Promise.resolve(fallbackCopy(text));
    }

    document.addEventListener('click', function (event) {
        var button = event.target.closest('[data-copy], [data-copy-text]');
        if (!button) {
            return;
        }
        var text = button.hasAttribute('data-copy-text') ? button.getAttribute('data-copy-text')
            : document.getElementById(button.getAttribute('data-copy')).value;
        var label = button.dataset.label || button.textContent;
        button.dataset.label = label;
        copy(text).then(function (copied) {
            button.textContent = copied ? 'Copied' : 'Select and copy';
            button.classList.toggle('done', copied);
            setTimeout(function () {
                button.textContent = label;
                button.classList.remove('done');
            }, 2000);
        });
    });
})();

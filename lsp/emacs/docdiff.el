;;; docdiff.el --- docdiff language server through eglot  -*- lexical-binding: t; -*-

;; Works with Emacs 28 + eglot 1.9 (Debian's elpa-eglot) and Emacs 29's built-in eglot.
;;
;; (add-to-list 'load-path "/path/to/docdiff/lsp/emacs")
;; (require 'docdiff)
;; (setq docdiff-settings '(:minWords 4 :corpus (:paths ["~/letters"])))
;; (add-hook 'text-mode-hook #'eglot-ensure)   ; and markdown-mode, html-mode, nxml-mode
;;
;; Settings go as initializationOptions and answer workspace/configuration (section
;; "docdiff").  eglot ignores relatedInformation: the diagnostic message names the source.
;;
;; In docdiff buffers managed by eglot, `docdiff-keys-mode' binds (buffer-local):
;; C-c d h  the hover in a help buffer (eldoc; it also shows in the echo area at point)
;; C-c d a  the quick fixes (eglot-code-actions)
;; M-. and M-? (xref) already go to the best source and list every copy.
;; Without markdown-mode, eglot asks for plain-text hovers, which the server sends.

;;; Code:

(require 'eglot)

(defgroup docdiff nil
  "Reused passages and similarity scores from the docdiff language server."
  :group 'tools)

(defcustom docdiff-server-command '("docdiff" "serve")
  "Command that starts the docdiff language server on stdio."
  :type '(repeat string))

(defcustom docdiff-settings nil
  "docdiff settings as a plist, e.g. (:minWords 4 :corpus (:paths [\"~/letters\"]))."
  :type 'plist)

(defcustom docdiff-modes '(text-mode markdown-mode html-mode mhtml-mode nxml-mode xml-mode)
  "Major modes whose buffers docdiff checks."
  :type '(repeat symbol))

(defun docdiff--contact (&optional _interactive)
  "The eglot contact: the server command plus initializationOptions."
  (append docdiff-server-command
          (list :initializationOptions (or docdiff-settings #s(hash-table)))))

(add-to-list 'eglot-server-programs (cons docdiff-modes #'docdiff--contact))

;;;###autoload
(defun docdiff-configure ()
  "Answer workspace/configuration for the \"docdiff\" section with `docdiff-settings'.
Call it again after changing `docdiff-settings', then `eglot-signal-didChangeConfiguration'."
  (interactive)
  (let ((others (assq-delete-all :docdiff
                                 (copy-alist (and (listp (default-value 'eglot-workspace-configuration))
                                                  (default-value 'eglot-workspace-configuration))))))
    (setq-default eglot-workspace-configuration
                  (cons (cons :docdiff (or docdiff-settings #s(hash-table))) others))))

(docdiff-configure)

(defvar docdiff-keys-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c d h") #'eldoc-doc-buffer)
    (define-key map (kbd "C-c d a") #'eglot-code-actions)
    map)
  "Keys of `docdiff-keys-mode'.")

(define-minor-mode docdiff-keys-mode
  "Buffer-local keys for docdiff's hover and quick fixes."
  :lighter nil
  :keymap docdiff-keys-mode-map)

(defun docdiff--maybe-keys ()
  "Turn `docdiff-keys-mode' on in eglot-managed buffers of `docdiff-modes'."
  (when (apply #'derived-mode-p docdiff-modes)
    (docdiff-keys-mode (if (eglot-managed-p) 1 -1))))

(add-hook 'eglot-managed-mode-hook #'docdiff--maybe-keys)

(provide 'docdiff)
;;; docdiff.el ends here

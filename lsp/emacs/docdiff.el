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

(provide 'docdiff)
;;; docdiff.el ends here

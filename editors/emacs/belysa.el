;;; belysa.el --- belysa through eglot -*- lexical-binding: t; -*-

;; Starts `belysa lsp' for Markdown, plain text and .belysa rule files.
;; Put this file on your load-path and add (require 'belysa) to your init file.

;;; Code:

(require 'eglot)

(defgroup belysa nil
  "Granskning av offentliga beslutsdokument."
  :group 'tools)

(defcustom belysa-program "belysa"
  "Sökväg till programmet belysa."
  :type 'string)

(defcustom belysa-packs []
  "Kör bara dessa regelpaket (en vektor av strängar); tom: alla."
  :type '(vector string))

(defcustom belysa-kind "auto"
  "Dokumenttyp: auto, tjansteutlatande, budget eller other."
  :type 'string)

(define-derived-mode belysa-rules-mode prog-mode "belysa"
  "Läge för belysas regelfiler."
  (setq-local comment-start "# "))

(add-to-list 'auto-mode-alist '("\\.belysa\\'" . belysa-rules-mode))

(defun belysa--contact (_interactive)
  "How eglot starts the server, with the options as initializationOptions."
  (list belysa-program "lsp"
        :initializationOptions (list :packs belysa-packs :kind belysa-kind)))

(add-to-list 'eglot-server-programs
             '((markdown-mode gfm-mode text-mode belysa-rules-mode) . belysa--contact))

(provide 'belysa)
;;; belysa.el ends here

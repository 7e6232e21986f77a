# Sharing a letter: the share card, the summary for previews, and the
# invitation to share after signing (views/share.rs, views/share_links.rs).

# The PNG card counts in steps (1 234 becomes « Plus de 1 200 »).
sharing-card-count-over = { $count ->
        [0] Plus de { $display } signature
        [one] Plus de { $display } signature
       *[other] Plus de { $display } signatures
    }

# The letter editor.
sharing-field-summary = Résumé pour le partage (facultatif)
sharing-summary-hint = Une phrase d’au plus 300 caractères, montrée sous le titre quand le lien est partagé. Sans résumé, c’est le premier paragraphe de la lettre qui dit quelque chose (les formules d’appel comme « Madame la Ministre, » sont sautées).

# After signing: the check-your-email page and the confirmation page.
sharing-heading = Faites circuler la lettre
sharing-intro = Une lettre compte par la distance qu’elle parcourt. Envoyez-la à vos proches et à vos réseaux :
sharing-by-email = Par courriel
sharing-copy = Copier le lien
sharing-copied = Lien copié.
sharing-native = Partager…
sharing-text = J’ai signé la lettre ouverte « { $title } ». Signez-la vous aussi !
sharing-email-body = Bonjour,

    J’ai signé la lettre ouverte « { $title } ». Vous pouvez la lire et la signer vous aussi :

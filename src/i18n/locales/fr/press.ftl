# Le dossier de presse d’une lettre, et qui est derrière chaque lettre.

press-behind-heading = Qui est derrière cette lettre
press-organized-by = Organisée par
press-contact = Pour joindre les organisateurs
press-privacy-officer = Responsable de la protection des renseignements personnels
press-behind-none = Les organisateurs de cette lettre n’ont pas encore indiqué comment les joindre.
press-privacy-link = Comment vos renseignements sont protégés
press-kit-link = Dossier de presse

press-title = Dossier de presse · { $title }
press-intro = Tout ce qu’il faut pour parler de cette lettre : le texte, qui la porte, les chiffres et la liste publique à télécharger.
press-logo-alt = Logo de { $name }
press-logo-alt-unnamed = Logo des organisateurs
press-counts-heading = Les chiffres
press-counts-as-of = En date du { $time }.
press-count-confirmed = Signatures confirmées
press-count-listed = Noms affichés publiquement
press-count-count-only = Signatures comptées sans nom affiché
press-downloads-heading = La liste publique à télécharger
press-downloads-hint = Chaque fichier porte le titre, la version du texte, l’heure d’export, le nombre de signataires et l’empreinte du texte. Il ne contient que la liste publique : jamais une adresse courriel.
press-download-pdf = PDF
press-download-print = Page à imprimer
press-download-text = Texte
press-download-csv = CSV (tableur)
press-download-json = JSON
press-initial-heading = Les premiers signataires
press-no-initial = Cette lettre n’a pas de premiers signataires.
press-letter-heading = La lettre
press-back = Retour à la lettre

press-officer-heading = Personne responsable de la protection des renseignements personnels
press-officer-site = Pour ce site :
press-officer-site-none = Ce site n’a pas nommé de personne responsable ; chaque lettre nomme la sienne.
press-officer-letters = Chaque lettre est portée par ses organisateurs, qui répondent des signatures recueillies. Ces lettres nomment leur propre responsable :

press-ws-contact-legend = Pour joindre les organisateurs
press-ws-contact-hint = Affiché sur la page de la lettre et dans son dossier de presse, pour les journalistes et le public. Facultatif.
press-ws-contact-name = Personne à joindre
press-ws-contact-email = Courriel de cette personne
press-ws-officer-legend = Responsable de la protection des renseignements personnels
press-ws-officer-hint = La Loi 25 demande à l’organisation qui recueille les signatures de nommer cette personne. Elle est affichée sur la page de la lettre et sur la page Confidentialité. Vide : la personne responsable du site.
press-ws-officer-owners-only = Seuls les propriétaires de la lettre peuvent changer cette personne.
press-ws-officer-name = Nom
press-ws-officer-email = Courriel
press-ws-logo-legend = Logo (dossier de presse)
press-ws-logo-hint = PNG ou JPEG, 512 Ko au plus, 4000 pixels de côté au plus. Les SVG sont refusés : ils peuvent contenir du code.
press-ws-logo-current = Logo actuel
press-ws-logo-none = Aucun logo.
press-ws-logo-upload = Envoyer le logo
press-ws-logo-remove = Retirer le logo
press-ws-logo-saved = Logo enregistré.

error-logo-missing = Choisissez un fichier.
error-logo-too-large = Ce fichier dépasse 512 Ko.
error-logo-type = Seuls les fichiers PNG et JPEG sont acceptés.
error-logo-unreadable = Ce fichier n’est pas une image lisible.
error-logo-dimensions = L’image doit faire au plus 4000 pixels de côté.

audit-logo-changed = Logo changé
audit-logo-removed = Logo retiré
audit-line-logo-changed = { $who } a changé le logo ({ $type }, { $width } × { $height }).
audit-line-logo-removed = { $who } a retiré le logo.

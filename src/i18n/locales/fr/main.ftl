# Interface en français. Typographie québécoise (OQLF) : espace insécable
# (U+00A0) avant le deux-points et à l’intérieur des guillemets, espace fine
# insécable (U+202F) avant ; ! ?, apostrophe ’. Le test
# i18n::checks les vérifie dans chaque message.

# Ce qui décrit la langue elle-même : son nom dans la langue (sélecteur de
# langue), sa locale pour les aperçus de partage, le séparateur des milliers.
language-name = Français
language-locale = fr_CA
digit-group-separator = {"\u202F"}

site-name = undersigned
skip-to-content = Aller au contenu
language-switch-label = Langue
footer-text = Les signatures ne comptent qu’une fois confirmées par courriel. Les adresses ne sont jamais publiées.

date-long = { $day ->
        [1] 1er
       *[other] { $day }
    } { $month ->
        [1] janvier
        [2] février
        [3] mars
        [4] avril
        [5] mai
        [6] juin
        [7] juillet
        [8] août
        [9] septembre
        [10] octobre
        [11] novembre
       *[12] décembre
    } { $year }
place-date = { $place }, le { $date }

signature-count = { $count ->
        [0] Aucune signature pour l’instant
        [one] { $display } signature
       *[other] { $display } signatures
    }
goal-progress = { $count } sur un objectif de { $goal }

home-heading = Lettres ouvertes
home-empty = Aucune lettre n’est publiée pour l’instant.
letter-closed-badge = fermée
letter-closed = Cette lettre ne recueille plus de signatures.
latest-signatories = Dernières signatures
no-signatories-yet = Personne n’a encore signé publiquement.
see-all-signatories = Voir la liste complète des signataires
signatories-heading = Signataires
pagination-label = Pages de la liste
first-page = Première page
next-page = Page suivante

sign-heading = Signer la lettre
form-error-summary = Le formulaire contient des erreurs :
sign-not-recorded-summary = Votre signature n’est pas encore enregistrée :
field-name = Nom complet
field-titles = Titres ou affiliations (facultatif)
field-titles-hint = Un par ligne, jusqu’à 8, dans l’ordre où ils doivent paraître. Par exemple : Présidente de la Fédération des coopératives d’habitation (1998-2006)
field-email = Adresse courriel
field-email-hint = Nous vous écrirons pour confirmer votre signature. Votre adresse n’est jamais publiée.
field-city = Ville ou région (facultatif)
field-visibility = Affichage de votre signature
visibility-public = Afficher mon nom et mes titres dans la liste publique
visibility-count-only = Me compter seulement, sans afficher mon nom
field-consent = J’accepte que soient conservés mon nom, mes titres, ma ville, mon adresse courriel et mon choix d’affichage, afin de compter ma signature, de l’afficher selon mon choix et de la confirmer ou la retirer. Mon adresse n’est ni publiée ni transmise.
field-updates = J’accepte de recevoir des nouvelles des organisateurs de cette lettre.
sign-button = Signer

error-required = Ce champ est obligatoire.
error-too-long = Ce champ dépasse { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }.
error-control-character = Ce champ contient un caractère de contrôle invisible. Retapez-le sans copier-coller.
error-bidi-override = Ce champ contient un caractère qui inverse le sens du texte. Retirez-le.
error-invalid-encoding = Ce champ contient des caractères illisibles. Retapez-le.
error-check-mark = Ce champ contient une coche (✓), que la liste réserve aux titres vérifiés par courriel. Retirez-la.
error-email-invalid = Cette adresse courriel n’est pas valide. Vérifiez-la, par exemple nom@exemple.org.
error-email-too-long = Cette adresse courriel est trop longue.
error-titles-too-many = Indiquez au plus { $max ->
        [one] { $max } titre ou affiliation
       *[other] { $max } titres ou affiliations
    }, un par ligne.
error-titles-line = Ligne { $line } : { $message }
labelled = { $label } : { $text }
error-consent-required = Cochez cette case pour que votre signature puisse être enregistrée.
error-visibility = Choisissez comment afficher votre signature.

check-email-heading = Vérifiez vos courriels
check-email-body = Nous venons de vous écrire. Ouvrez le lien du message pour confirmer votre signature : elle ne comptera qu’une fois confirmée.
check-email-hint = Rien reçu d’ici quelques minutes ? Regardez dans les courriels indésirables, ou signez de nouveau pour recevoir un autre message.

confirm-heading = Confirmer votre signature
confirm-body = { $name }, confirmez-vous signer la lettre « { $title } » ?
confirm-button = Confirmer ma signature
confirmed-heading = Merci, votre signature est confirmée
confirmed-body = Votre signature compte et paraît dans la liste des signataires.
confirmed-body-count-only = Votre signature compte. Comme vous l’avez demandé, votre nom n’est pas affiché.
already-confirmed-body = Votre signature était déjà confirmée. Elle compte.
confirm-intro = Voici ce qui sera publié si vous confirmez :
confirm-field-name = Nom
confirm-field-titles = Titres et affiliations
confirm-field-city = Ville ou région
confirm-field-visibility = Affichage
confirm-field-updates = Nouvelles de la lettre
confirm-updates-yes = Oui, m’écrire quand la lettre change
confirm-updates-no = Non
confirm-none = (aucun)
confirmed-body-held = Votre signature compte. Votre nom paraîtra dans la liste des signataires une fois revu par les organisateurs.
manage-held = Votre nom attend d’être revu par les organisateurs ; il paraîtra dans la liste ensuite.
manage-hidden = Les organisateurs ont retiré votre nom de la liste publique.
withdraw-intro = Vous avez changé d’avis ? Vous pouvez retirer votre signature :
withdraw-link = Retirer ma signature
withdraw-heading = Retirer votre signature
withdraw-body = { $name }, voulez-vous retirer votre signature de la lettre « { $title } » ? Elle ne sera plus comptée ni affichée.
withdraw-button = Retirer ma signature
withdrawn-heading = Votre signature est retirée
withdrawn-body = Elle n’est plus comptée ni affichée. Vous pouvez signer de nouveau quand vous voulez.
back-to-letter = Retour à la lettre
preview-banner = Aperçu.
preview-banner-detail = Voici la lettre telle que les lecteurs la verront. Le formulaire de signature ne fonctionne pas dans l’aperçu.
preview-back = Retour à la lettre dans l’espace de travail

link-unknown-heading = Lien invalide
link-unknown-body = Ce lien n’est pas reconnu. Vérifiez qu’il a été copié en entier depuis le courriel.
link-used-heading = Lien déjà utilisé
link-used-body = Ce lien a déjà servi et ne peut plus être utilisé.
link-expired-heading = Lien expiré
link-expired-body = Ce lien de confirmation a expiré. Signez de nouveau pour en recevoir un autre.
link-replaced-heading = Lien remplacé
link-replaced-body = Une demande plus récente a été faite pour cette adresse, avec d’autres renseignements : ce lien ne sert plus. Utilisez le lien du courriel le plus récent, ou signez de nouveau.
not-confirmed-heading = Signature pas encore confirmée
not-confirmed-body = Confirmez d’abord votre signature avec le lien du même courriel. Vous pourrez ensuite la modifier ici.
letter-closed-heading = Lettre fermée
letter-closed-body = Cette lettre ne recueille plus de signatures.
not-found-heading = Page introuvable
not-found-body = Aucune page n’existe à cette adresse.
method-not-allowed-heading = Action impossible
method-not-allowed-body = Cette page ne peut pas être utilisée de cette façon.
payload-too-large-heading = Envoi trop volumineux
payload-too-large-body = Le formulaire envoyé est trop volumineux. Raccourcissez les champs et réessayez.
bad-request-heading = Requête invalide
bad-request-body = La requête envoyée n’a pas pu être lue.
bad-time-heading = Date et heure à revoir
bad-time-malformed = Cette date et cette heure n’ont pas pu être lues. Indiquez-les sous la forme AAAA-MM-JJ HH:MM.
bad-time-skipped = Cette heure n’existe pas ce jour-là : les horloges l’ont sautée au changement d’heure. Choisissez une heure plus tard.
bad-time-past = Ce moment est déjà passé. Choisissez une date et une heure à venir.
unavailable-heading = Service momentanément indisponible
unavailable-body = Le service ne peut pas répondre pour l’instant. Réessayez dans quelques instants ; rien de ce que vous avez saisi n’a été enregistré.
unavailable-form = Le service est momentanément indisponible : votre signature n’a pas encore été enregistrée. Ce que vous avez saisi est resté dans le formulaire ; envoyez-le de nouveau dans quelques secondes.
server-error-heading = Erreur du serveur
server-error-body = Une erreur inattendue s’est produite. Elle a été consignée. Réessayez dans quelques instants.

honeypot-label = Laissez ce champ vide
privacy-link = Confidentialité : ce que nous conservons et pourquoi
privacy-title = Confidentialité
too-many-heading = Trop de tentatives
too-many-body = Trop de tentatives depuis votre connexion. Réessayez dans { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    } ; ce que vous avez saisi est conservé.
error-form-expired = Ce formulaire a expiré. Vérifiez vos renseignements et envoyez-le de nouveau.
error-form-too-fast = Le formulaire est parti très vite, avant de pouvoir être accepté. Vérifiez vos renseignements, puis, dans quelques secondes, cliquez de nouveau sur « Signer ».
manage-heading = Gérer votre signature
unsubscribe-heading = Ne plus recevoir de nouvelles
unsubscribe-body = Vous ne recevrez plus de nouvelles de la lettre « { $title } ». Votre signature reste comptée et affichée comme vous l’avez choisi.
unsubscribe-ask = Ne plus recevoir de nouvelles de la lettre « { $title } » ? Votre signature reste.
unsubscribe-button = Ne plus recevoir de nouvelles
manage-name-hint = Tel qu’il paraîtra sur la liste. Un nom changé repasse par la modération de la lettre.
manage-link = Gérer ma signature
manage-saved = Vos modifications sont enregistrées.
manage-stored-heading = Ce que nous conservons à votre sujet
manage-status = État
status-pending = En attente de confirmation
status-confirmed = Confirmée
status-withdrawn = Retirée
manage-signed-at = Signée le
manage-confirmed-at = Confirmée le
manage-consent = Consentement
manage-consent-detail = Texte en version { $version }, donné le { $at }, pour la version { $letter_version } de la lettre
yes = Oui
no = Non
manage-download = Télécharger ces données (JSON)
manage-edit-heading = Modifier votre signature
manage-save = Enregistrer
error-name-markup = Un nom ne peut pas contenir les caractères < ou >.
error-name-formula = Un nom ne peut pas commencer par =, +, - ou @.
letter-modified = Modifiée le { $date }.
letter-versions-link = Voir les versions et les changements
versions-heading = Versions de la lettre
version-label = Version { $n }, du { $date }
version-first = Texte publié à l’origine.
verified-by-email = vérifié par courriel
export-signatories-heading = Signataires
export-count-only = Compté seulement, nom non publié
export-moderation-queued = En attente de modération, non publiée
export-moderation-hidden = Masquée par la modération
export-stamp-letter = { $title } · version { $version }
export-stamp-details = Exporté le { $time } · { $count ->
        [0] aucun signataire
        [one] { $display } signataire
       *[other] { $display } signataires
    } · empreinte { $hash }
export-page = Page { $page } sur { $total }
export-downloads = Télécharger la liste publique :
export-download-text = texte
export-download-csv = tableur (CSV)
export-download-json = JSON

## Partage et intégration
share-card-alt = La lettre « { $title } » et son nombre de signatures
embed-sign = Signer
embed-frame-title = Lettre ouverte : { $title }
ws-embed = Intégrer à un autre site
ws-embed-hint = Collez ce code dans une page de votre site : il affiche le titre, le nombre de signatures en direct et un lien pour signer.
title-with-errors = Erreur : { $title }

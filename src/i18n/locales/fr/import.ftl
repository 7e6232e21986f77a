# Importing signatures collected elsewhere from a CSV file.
csv-import = Importer des signatures d’un fichier CSV
csv-import-hint = Un export de Google Forms ou d’un tableur, en UTF-8, avec une ligne d’en-tête. Vous choisirez ensuite les colonnes et verrez un aperçu avant d’importer.
csv-file = Fichier CSV
csv-upload = Téléverser et prévisualiser
csv-column-none = (aucune)
csv-columns = Colonnes
csv-title-columns = Titres ou affiliations (une colonne ou plusieurs)
csv-titles = Titres
csv-city = Ville
csv-mode = Comment ces signatures entrent
csv-mode-confirm = Par courriel : chaque personne reçoit un lien de confirmation et compte une fois qu’elle a confirmé.
csv-mode-in-person = Recueillies en personne : elles comptent tout de suite et sont marquées comme telles dans vos exports.
csv-evidence-hint = Pour les signatures recueillies en personne, dites qui les a recueillies, quand et comment (par exemple : feuille papier, congrès du 12 mai).
csv-collected-by = Recueillies par
csv-collected-on = Date
csv-collected-how = Comment
csv-public = Afficher les noms dans la liste publique
csv-count-only = Compter seulement, sans afficher les noms
csv-file-read = Fichier « { $name } » : { $rows ->
    [0] aucune ligne de données.
    [one] une ligne de données.
   *[other] { $rows } lignes de données.
}
csv-tally = { $new ->
    [0] Aucune nouvelle signature
    [one] Une nouvelle signature
   *[other] { $new } nouvelles signatures
}, { $duplicates ->
    [0] aucun doublon
    [one] un doublon
   *[other] { $duplicates } doublons
} et { $invalid ->
    [0] aucune ligne à corriger
    [one] une ligne à corriger
   *[other] { $invalid } lignes à corriger
}, sur { $rows ->
    [0] aucune ligne.
    [one] une ligne.
   *[other] { $rows } lignes.
}
csv-line = Ligne
csv-fate = Résultat
csv-fate-new = Nouvelle
csv-fate-twice = Doublon de la ligne { $line }
csv-fate-on-letter = Déjà signataire
csv-fate-invalid = À corriger
csv-problems = Lignes à corriger (elles ne seront pas importées)
csv-problems-more = { $n ->
    [one] … et une autre ligne.
   *[other] … et { $n } autres lignes.
}
csv-import-button = { $n ->
    [one] Importer une signature
   *[other] Importer { $n } signatures
}
csv-another-file = Téléverser un autre fichier
csv-imported = Le fichier « { $name } » a été importé le { $at } : { $n ->
    [0] aucune signature ajoutée.
    [one] une signature ajoutée.
   *[other] { $n } signatures ajoutées.
} Le téléverser de nouveau n’ajoutera rien.
csv-error-no-file = Choisissez un fichier CSV.
csv-error-not-utf8 = Ce fichier n’est pas en UTF-8 (ligne { $line }). Dans votre tableur, enregistrez-le en « CSV UTF-8 ».
csv-error-empty = Ce fichier n’a pas de ligne d’en-tête.
csv-error-too-many = Ce fichier dépasse la limite de { $max ->
    [one] une ligne
   *[other] { $max } lignes
} ; divisez-le.
csv-error-unreadable = Ce fichier ne se lit pas comme un CSV à partir de la ligne { $line } (un guillemet non fermé ?).
csv-error-date = La date doit être une date (AAAA-MM-JJ).
csv-error-future = La date ne peut pas être dans le futur.
csv-error-email-required = Adresse courriel manquante : chaque personne doit recevoir un lien de confirmation.
audit-csv-imported = Signatures importées d’un fichier CSV
email-imported-intro = Les organisateurs de la lettre ouverte « { $title } » nous ont transmis votre signature, recueillie sur un formulaire que vous avez rempli. Pour qu’elle compte, confirmez-la en ouvrant ce lien :
export-collected = Recueillie en personne ({ $how }), le { $on }, par { $by }
audit-line-csv-imported = { $who } a importé { $n ->
    [one] { $n } signature
   *[other] { $n } signatures
  } du fichier « { $file } » ({ $mode ->
    [in-person] recueillies en personne
   *[other] à confirmer par courriel
  } ; doublons écartés : { $duplicates } ; lignes à corriger : { $invalid }).

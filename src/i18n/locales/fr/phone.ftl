# Téléphones : le lien « Signer » en haut, les noms des champs dans le
# résumé des erreurs, l’objectif atteint, et ce qu’une confirmation publie.
phone-sign-link = Signer la lettre
phone-summary-name = Nom complet
phone-summary-titles = Titres ou affiliations
phone-summary-email = Adresse courriel
phone-summary-city = Ville ou région
phone-summary-visibility = Affichage de votre signature
phone-summary-consent = Consentement
phone-goal-reached = Objectif atteint : { $count ->
        [one] { $display } signature
       *[other] { $display } signatures
    } sur un objectif de { $goal }
phone-dash-goal-reached = Objectif atteint : { $count ->
        [one] { $display } signature publique
       *[other] { $display } signatures publiques
    } pour un objectif de { $goal }.
phone-dash-raise-goal = Relever l’objectif
phone-email-field = { $label } : { $value }
phone-email-label = { $label } :
phone-confirmed-what = Ce que vous avez confirmé

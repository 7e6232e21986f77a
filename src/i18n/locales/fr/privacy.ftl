# Le texte de la page Confidentialité, en Markdown. Un fichier privacy.fr.md
# dans le dossier de données le remplace.
privacy-text =
    # Confidentialité

    Signer une lettre ouverte révèle une opinion. Nous traitons vos renseignements comme des renseignements sensibles, au sens de la Loi 25 du Québec et de l’article 9 du RGPD.

    ## Ce que nous conservons, et pourquoi

    - **Votre nom, vos titres ou affiliations et votre ville**, pour afficher votre signature comme vous l’avez choisi, ou seulement la compter.
    - **Votre adresse courriel**, pour confirmer votre signature, vous permettre de la gérer ou de la retirer, et éviter les doublons. Elle n’est jamais publiée ni transmise.
    - **Votre consentement** : la version du texte accepté, la date et la version de la lettre signée.

    ## Combien de temps

    - Une signature non confirmée est effacée, adresse comprise, quand son lien de confirmation expire (7 jours).
    - Quand vous retirez votre signature, tout ce qui vous identifie est effacé ; il ne reste qu’une trace anonyme, pour que les décomptes restent explicables.
    - Après la fermeture d’une lettre, ses organisateurs peuvent l’anonymiser : les adresses sont effacées et la liste publique reste telle que publiée.

    ## Vos droits

    Le lien « gérer ma signature », dans le courriel de confirmation, vous montre tout ce que nous conservons à votre sujet, vous permet de le télécharger, de modifier vos titres, votre ville et votre choix d’affichage, ou de retirer votre signature.

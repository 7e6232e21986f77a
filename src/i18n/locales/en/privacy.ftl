# The privacy page’s text, in Markdown. A privacy.en.md file in the data
# folder replaces it.
privacy-text =
    # Privacy

    Signing an open letter reveals an opinion. We treat your information as sensitive personal information, as Quebec’s Law 25 and Article 9 of the GDPR require.

    ## What we keep, and why

    - **Your name, titles or affiliations and city**, to show your signature as you chose, or only count it.
    - **Your email address**, to confirm your signature, let you manage or withdraw it, and prevent duplicates. It is never published or shared.
    - **Your consent**: the version of the text you accepted, the time, and the version of the letter you signed.

    ## For how long

    - An unconfirmed signature is erased, address included, when its confirmation link expires (7 days).
    - When you withdraw your signature, everything that identifies you is erased; only an anonymous tombstone remains, so that the counts stay explainable.
    - After a letter closes, its organizers can anonymise it: email addresses are erased and the public list stays as published.

    ## Your rights

    The “manage my signature” link in the confirmation email shows you everything we keep about you, lets you download it, change your titles, city and display choice, or withdraw your signature.

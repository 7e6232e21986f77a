# Sharing a letter: the share card, the summary for previews, and the
# invitation to share after signing (views/share.rs, views/share_links.rs).

# The PNG card counts in steps (1,234 becomes “More than 1,200”).
sharing-card-count-over = { $count ->
        [one] More than { $display } signature
       *[other] More than { $display } signatures
    }

# The letter editor.
sharing-field-summary = Summary for sharing (optional)
sharing-summary-hint = One sentence of at most 300 characters, shown under the title when the link is shared. Without one, previews show the letter’s first paragraph that says something (salutations such as “Dear Minister,” are skipped).

# After signing: the check-your-email page and the confirmation page.
sharing-heading = Pass the letter on
sharing-intro = A letter matters by how far it travels. Send it to the people and networks you know:
sharing-by-email = By email
sharing-copy = Copy the link
sharing-copied = Link copied.
sharing-native = Share…
sharing-text = I signed the open letter “{ $title }”. Sign it too!
sharing-email-body = Hello,

    I signed the open letter “{ $title }”. You can read it and sign it too:

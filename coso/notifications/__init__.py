"""In-app notifications (and their e-mails) for every user: meeting notices, reminders, study tasks, feedback updates."""

"""Citizens: reception days, dialogues, and feedback from intake to a rated public answer."""

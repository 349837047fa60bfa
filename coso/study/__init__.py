"""Study of resolutions: the document library, study campaigns, learning reports and follow-through plans."""

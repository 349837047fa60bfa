"""Cell meetings: the yearly plan, notices, attendance, minutes, escalations and the leaders' rotation planner."""

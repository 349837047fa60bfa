"""HTML pages of the citizens app: public (portal, tracking, transparency), Open311, and staff pages."""

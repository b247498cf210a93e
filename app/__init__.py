"""The web application: HTML pages and the versioned JSON API over one catalog."""

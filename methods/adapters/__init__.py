"""Builders that map typed, bounded hyperparameters onto library objects' arguments."""

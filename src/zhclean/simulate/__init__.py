"""The damage simulator (seedable, with exact ground truth) and the demo corpus built from text zhclean ships."""

"""The Today screen: the clinic day by time and chair, with what is due next for each chair."""

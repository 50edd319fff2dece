"""NLU components and text helpers shared by the Rasa pipeline and the actions."""

raise ValueError("internal error consvructor(\"alert(1)\")")

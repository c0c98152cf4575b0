"""Party-awareness classes, nominations, attendance, certificates. Built in the classes issue."""

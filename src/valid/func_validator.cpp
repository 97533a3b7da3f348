// placeholder: being written (validator helper)
